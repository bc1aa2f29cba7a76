import ATCText
import Testing
@testable import PhraseStore

/// The generator is reproducible and every slot value it writes is in its real-world range,
/// checked by reading the values back out of the canonical text with rules written here.
@Suite struct CorpusGeneratorTests {
    static let generator = CorpusGenerator(corpus: TestSupport.corpus)

    @Test func sameSeedSamePhrasesOtherSeedOthers() {
        let first = Self.generator.generate(count: 500, seed: 7)
        let second = Self.generator.generate(count: 500, seed: 7)
        let other = Self.generator.generate(count: 500, seed: 8)
        #expect(first.count == 500)
        #expect(first == second)
        #expect(first != other)
    }

    @Test func embeddedCorpusIsLargeEnough() {
        #expect(TestSupport.corpus.airlines.count >= 300)
        #expect(Set(TestSupport.corpus.airlines.compactMap(\.icao)).count == TestSupport.corpus.airlines.compactMap(\.icao).count)
        let byCode = Dictionary(TestSupport.corpus.airlines.compactMap { a in a.icao.map { ($0, a.telephony) } },
                                uniquingKeysWith: { first, _ in first })
        // Spot checks against well-known designators.
        #expect(byCode["DLH"] == "lufthansa")
        #expect(byCode["BAW"] == "speedbird")
        #expect(byCode["EIN"] == "shamrock")
        #expect(byCode["AEF"] == "aero lloyd")
        #expect(byCode["EZY"] == "easy")
        let sections = Set(TestSupport.corpus.templates.map(\.section))
        for section in ["clearance delivery", "ground", "tower", "approach and radar", "area control", "readbacks"] {
            #expect(sections.contains(section), "missing template section \(section)")
        }
    }

    /// Reads the number made of the digit tokens starting at `index`.
    static func digits(_ tokens: [String], from index: Int) -> (value: Int, count: Int)? {
        var end = index
        while end < tokens.count, ATCNormalizer.isDigitToken(tokens[end]) { end += 1 }
        guard end > index else { return nil }
        return (Int(tokens[index..<end].joined())!, end - index)
    }

    @Test func slotValuesAreValid() throws {
        let phrases = Self.generator.generate(count: 20_000, seed: CorpusGenerator.defaultSeed)
        var checked = (frequency: 0, heading: 0, level: 0, squawk: 0, qnh: 0, runway: 0)
        for phrase in phrases {
            let tokens = ATCNormalizer.canonicalTokens(phrase)
            for (index, token) in tokens.enumerated() {
                // Frequencies: three digits, `decimal`, one or three digits.
                if token == "decimal", index >= 3, index + 1 < tokens.count,
                   tokens[(index - 3)..<index].allSatisfy(ATCNormalizer.isDigitToken),
                   index < 4 || !ATCNormalizer.isDigitToken(tokens[index - 4]),
                   let fraction = Self.digits(tokens, from: index + 1)
                {
                    let megahertz = Int(tokens[(index - 3)..<index].joined())!
                    #expect(fraction.count == 1 || fraction.count == 3, "\(phrase)")
                    let kHz = megahertz * 1000 + (fraction.count == 1 ? fraction.value * 100 : fraction.value)
                    #expect((118_000...136_975).contains(kHz), "frequency out of band: \(phrase)")
                    #expect(kHz % 25 == 0, "frequency off the 25 kHz grid: \(phrase)")
                    checked.frequency += 1
                }
                if token == "heading", let heading = Self.digits(tokens, from: index + 1) {
                    #expect(heading.count == 3 && (5...360).contains(heading.value) && heading.value % 5 == 0, "\(phrase)")
                    checked.heading += 1
                }
                if token == "level", index > 0, tokens[index - 1] == "flight", let level = Self.digits(tokens, from: index + 1) {
                    #expect(level.count == 3 && (50...450).contains(level.value) && level.value % 10 == 0, "\(phrase)")
                    checked.level += 1
                }
                if token == "squawk", let code = Self.digits(tokens, from: index + 1) {
                    let text = tokens[(index + 1)..<(index + 1 + code.count)].joined()
                    #expect(code.count == 4 && text.allSatisfy { "01234567".contains($0) }, "squawk not octal: \(phrase)")
                    #expect(!["7500", "7600", "7700"].contains(text), "emergency squawk generated: \(phrase)")
                    checked.squawk += 1
                }
                if token == "qnh", let qnh = Self.digits(tokens, from: index + 1) {
                    #expect((960...1050).contains(qnh.value), "\(phrase)")
                    checked.qnh += 1
                }
                if token == "runway", let runway = Self.digits(tokens, from: index + 1) {
                    #expect(runway.count == 2 && (1...36).contains(runway.value), "\(phrase)")
                    checked.runway += 1
                }
            }
        }
        // Every kind of value was actually exercised.
        #expect(checked.frequency > 500 && checked.heading > 500 && checked.level > 1000)
        #expect(checked.squawk > 200 && checked.qnh > 200 && checked.runway > 500)
    }

    @Test func frequencyNamesFollowICAORule() {
        #expect(SpokenNumbers.frequency(kHz: 132_400) == "one three two decimal four")
        #expect(SpokenNumbers.frequency(kHz: 118_000) == "one one eight decimal zero")
        #expect(SpokenNumbers.frequency(kHz: 127_375) == "one two seven decimal three seven five")
        #expect(SpokenNumbers.frequency(kHz: 118_050) == "one one eight decimal zero five zero")
        #expect(CorpusGenerator.channelCount == 760)
    }

    @Test func altitudesAndSpelling() {
        #expect(SpokenNumbers.altitude(feet: 3500) == "three thousand five hundred")
        #expect(SpokenNumbers.altitude(feet: 12000) == "one two thousand")
        #expect(SpokenNumbers.spelled("D-EABC") == "delta echo alfa bravo charlie")
        #expect(SpokenNumbers.spelled("9H-ABC") == "nine hotel alfa bravo charlie")
    }

    @Test func badTemplateIsRejectedWithItsLine() {
        #expect(throws: PhraseStoreError(file: "t.txt", line: 3, message: "unclosed '{' in template; close the slot with '}'")) {
            try PhraseTemplate.parse("{callsign} climb {fl", section: "", file: "t.txt", line: 3)
        }
        do {
            _ = try PhraseTemplate.parse("{callsign} climb {flightlevel}", section: "", file: "t.txt", line: 4)
            Issue.record("unknown slot accepted")
        } catch {
            #expect(error.line == 4 && error.message.contains("unknown slot {flightlevel}"))
        }
    }
}
