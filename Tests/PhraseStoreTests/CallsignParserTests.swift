import ATCText
import CSVIO
import Foundation
import Testing
@testable import PhraseStore

/// Callsign parsing on hand-written cases, and precision/recall on 100 hand-labelled ATCOSIM
/// test references.
@Suite struct CallsignParserTests {
    static let parser = CallsignParser(corpus: TestSupport.corpus)

    static func parse(_ text: String) -> ParsedCallsign? {
        parser.parse(ATCNormalizer.canonicalTokens(text))
    }

    @Test(arguments: [
        ("lufthansa four three nine three descend to flight level two seven zero", "DLH4393", "lufthansa 4 3 9 3"),
        ("Lufthansa 4393 descend FL270", "DLH4393", "lufthansa 4 3 9 3"),
        ("speed bird one two three contact rhein", "BAW123", "speed bird 1 2 3"),
        ("speedbird 123 contact rhein", "BAW123", "speedbird 1 2 3"),
        ("aero lloyd five one seven continue present heading", "AEF517", "aero lloyd 5 1 7"),
        ("air france three five six climb", "AFR356", "air france 3 5 6"),
        ("hapag lloyd six five three good afternoon", "HLF653", "hapag lloyd 6 5 3"),
        ("swiss two eight one kilo squawk four five two one", "SWR281K", "swiss 2 8 1 kilo"),
        ("csa one delta zulu descend flight level one zero zero", "CSA1DZ", "csa 1 delta zulu"),
        ("good morning crossair five one eight radar contact", "CRX518", "crossair 5 1 8"),
        ("delta one four two turn left", "DAL142", "delta 1 4 2"),
        ("britannia triple seven descend", "BAL777", "britannia triple 7"),
        ("condor air two five seven is identified", "CFG257", "condor air 2 5 7"),
        ("alitalia four correction alitalia four zero one turn left", "AZA401", "alitalia 4 0 1"),
        ("alitalia four o four good afternoon", "AZA404", "alitalia 4 o 4"),
        ("lauda one o nine is identified", "LDA109", "lauda 1 o 9"),
        ("descend flight level two seven zero lufthansa four three nine three", "DLH4393", "lufthansa 4 3 9 3"),
        ("oscar kilo alfa bravo charlie taxi to holding point", "OKABC", "oscar kilo alfa bravo charlie"),
        ("delta india mike echo xray climb", "DIMEX", "delta india mike echo xray"),
        ("delta mike echo climb to flight level three four zero", "DME", "delta mike echo"),
        ("guten tag fox sierra india radar contact", "FSI", "fox sierra india"),
        ("november one two three alfa bravo cleared to land", "N123AB", "november 1 2 3 alfa bravo"),
        ("jetcom one three three climb flight level three four zero", "JETCOM133", "jetcom 1 3 3"),
        ("hamburg air two five zero two contact geneva", "HAMBURGAIR2502", "hamburg air 2 5 0 2"),
        ("three six zero four climb to flight level three four zero", "3604", "3 6 0 4"),
    ])
    func findsCallsign(text: String, designator: String, spoken: String) throws {
        let callsign = try #require(Self.parse(text), "no callsign in '\(text)'")
        #expect(callsign.designator == designator)
        #expect(callsign.spoken == spoken)
    }

    @Test(arguments: [
        "contact rhein one three two decimal four good bye",
        "contact milan one three four five two good bye",
        "taxi via alfa bravo charlie delta",
        "information lima qnh one zero one three",
        "roger",
        "climb flight level three four zero",
        "squawk mode charlie",
        "alitalia",
        "one three four four correct",
        "good afternoon descend to flight level two nine zero",
    ])
    func findsNoCallsign(text: String) {
        #expect(Self.parse(text) == nil, "unexpected callsign in '\(text)': \(String(describing: Self.parse(text)))")
    }

    @Test func readbackIsCategorised() {
        let tokens = ATCNormalizer.canonicalTokens("descend flight level two seven zero lufthansa four three nine three")
        let categories = InstructionCategory.categories(of: tokens, callsign: Self.parser.parse(tokens))
        #expect(categories.contains(.readback) && categories.contains(.descend) && categories.contains(.level))
        let instruction = ATCNormalizer.canonicalTokens("lufthansa four three nine three contact rhein one three two decimal four good bye")
        let found = InstructionCategory.categories(of: instruction, callsign: Self.parser.parse(instruction))
        #expect(found.contains(.contact) && found.contains(.greeting) && !found.contains(.readback))
    }

    /// Precision and recall against `Fixtures/atcosim-test-callsign-labels.tsv` (labels
    /// only; the utterances are read from the shared corpus). A prediction counts as correct
    /// only when its span equals the label exactly.
    @Test(.enabled(if: TestSupport.hasSharedCorpora, "needs the shared ATCOSIM corpus ($ATCFIX_CORPORA)"))
    func handLabelledATCOSIMSample() throws {
        var labels: [Int: String] = [:]
        let labelText = try String(contentsOf: TestSupport.fixtures.appendingPathComponent("atcosim-test-callsign-labels.tsv"),
                                   encoding: .utf8)
        for line in labelText.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t")
            labels[Int(fields[0])!] = String(fields[1])
        }
        #expect(labels.count == 100)
        let reader = try CSVReader(url: TestSupport.atcosimTest)
        let column = try reader.column(named: "correct_text")
        var truePositives = 0, predictions = 0, positives = 0
        while let record = try reader.next() {
            guard let label = labels[record.line] else { continue }
            let predicted = Self.parser.parse(ATCNormalizer.canonicalTokens(record[column]))?.spoken
            if label != "-" { positives += 1 }
            if let predicted {
                predictions += 1
                if predicted == label { truePositives += 1 }
            }
        }
        let precision = Double(truePositives) / Double(max(predictions, 1))
        let recall = Double(truePositives) / Double(max(positives, 1))
        print("callsign sample: \(positives) labelled, \(predictions) predicted, \(truePositives) exact; "
              + "precision \(precision), recall \(recall)")
        #expect(positives == 86)
        #expect(precision >= 0.95)
        #expect(recall >= 0.95)
    }
}

/// Rows of the ATCOSIM test split reviewed by hand as naming no aircraft must stay without a
/// callsign (a finding there is a false positive).
@Suite struct CallsignReviewTests {
    @Test(.enabled(if: TestSupport.hasSharedCorpora, "needs the shared ATCOSIM corpus ($ATCFIX_CORPORA)"))
    func reviewedRowsWithoutCallsignStayWithout() throws {
        let review = try String(contentsOf: TestSupport.fixtures.appendingPathComponent("atcosim-test-unparsed-review.tsv"),
                                encoding: .utf8)
        var noCallsign = Set<Int>()
        for line in review.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t")
            if fields[1] == "no" { noCallsign.insert(Int(fields[0])!) }
        }
        #expect(noCallsign.count == 182)
        let reader = try CSVReader(url: TestSupport.atcosimTest)
        let column = try reader.column(named: "correct_text")
        var checked = 0
        while let record = try reader.next() {
            guard noCallsign.contains(record.line) else { continue }
            checked += 1
            let found = CallsignParserTests.parser.parse(ATCNormalizer.canonicalTokens(record[column]))
            #expect(found == nil, "line \(record.line): false callsign \(found?.spoken ?? "")")
        }
        #expect(checked == noCallsign.count)
    }
}
