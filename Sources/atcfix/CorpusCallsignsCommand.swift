import ArgumentParser
import ATCText
import CSVIO
import Foundation
import PhraseStore

/// `atcfix corpus callsigns`: runs the callsign parser over a CSV column, for inspection and
/// for the coverage figure in docs/BENCHMARKS.md.
struct CorpusCallsignsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "callsigns",
        abstract: "Parse the callsign of every row of a CSV column and report how many were found.",
        discussion: CommandHelp.discussion("", examples: [
            "atcfix corpus callsigns --in train.csv",
            "atcfix corpus callsigns --in out.csv --text-column corrected_text --all",
        ]))

    @Option(name: .customLong("in"), help: "CSV file with a header line.")
    var input: String

    @Option(help: "Column to parse.")
    var textColumn: String = "correct_text"

    @Flag(help: "Print every row (line, kind, designator, span, text); otherwise only rows without a callsign.")
    var all = false

    func run() throws {
        let parser = CallsignParser(corpus: try EmbeddedCorpus.load())
        let reader = try CSVReader(path: input)
        let index = try reader.column(named: textColumn)
        var rows = 0
        var found = 0
        var kinds: [String: Int] = [:]
        while let record = try reader.next() {
            rows += 1
            let tokens = ATCNormalizer.canonicalTokens(record[index])
            let callsign = parser.parse(tokens)
            if let callsign {
                found += 1
                kinds[callsign.kind.rawValue, default: 0] += 1
            }
            if all || callsign == nil {
                let description = callsign.map { "\($0.kind.rawValue)\t\($0.designator)\t\($0.spoken)" } ?? "-\t-\t-"
                print("\(record.line)\t\(description)\t\(tokens.joined(separator: " "))")
            }
        }
        let share = rows == 0 ? 0 : Double(found) / Double(rows) * 100
        let byKind = kinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print("rows \(rows)  with callsign \(found) (\(String(format: "%.1f", share))%)  [\(byKind)]")
    }
}
