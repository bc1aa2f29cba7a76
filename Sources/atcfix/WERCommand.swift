import ArgumentParser
import ATCText
import CSVIO
import Foundation

/// `atcfix wer`: scores one text column of a CSV file against another after the canonical ATC
/// normalisation of both.
struct WERCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wer",
        abstract: "Word error rate of a hypothesis column against a reference column.",
        discussion: """
            Both columns are put in the canonical ATC normal form first (ASCII, lowercase, no \
            punctuation, number words as digits, one token per digit, ICAO spellings), so \
            "Lufthansa 4393" and "lufthansa four three nine three" agree. Corpus WER is total \
            edits / total reference words; mean_utt_wer averages the per-row rates over rows \
            whose normalised reference is not empty.
            """
    )

    @Option(name: .customLong("in"), help: "CSV file with a header line.")
    var input: String

    @Option(help: "Reference column.")
    var ref: String = "correct_text"

    @Option(help: "Hypothesis column.")
    var hyp: String = "whisper_text"

    @Flag(help: "Print one JSON object instead of the text summary.")
    var json = false

    @Flag(help: "Also print every row's counts and normal forms (text output only).")
    var perRow = false

    func run() throws {
        let score: CorpusWER
        let lines: [Int]
        do {
            (score, lines) = try Self.score(path: input, reference: ref, hypothesis: hyp, keepingRows: perRow && !json)
        } catch {
            FileHandle.standardError.write(Data("atcfix wer: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if json {
            print(score.jsonSummary(file: input))
        } else {
            print(score.textSummary(file: input))
            if perRow {
                for (row, line) in zip(score.rows, lines) {
                    print("line \(line): errors \(row.counts.errors)/\(row.counts.referenceWords)"
                        + " | ref: \(row.reference.joined(separator: " "))"
                        + " | hyp: \(row.hypothesis.joined(separator: " "))")
                }
            }
        }
    }

    /// Streams `path` and scores column `hypothesis` against column `reference`; with
    /// `keepingRows`, also returns each row's starting line in the file.
    static func score(
        path: String, reference: String, hypothesis: String, keepingRows: Bool
    ) throws(CSVError) -> (CorpusWER, [Int]) {
        let reader = try CSVReader(path: path)
        let referenceColumn = try reader.column(named: reference)
        let hypothesisColumn = try reader.column(named: hypothesis)
        var score = CorpusWER(keepingRows: keepingRows)
        var lines: [Int] = []
        while let record = try reader.next() {
            score.add(reference: record[referenceColumn], hypothesis: record[hypothesisColumn])
            if keepingRows { lines.append(record.line) }
        }
        return (score, lines)
    }
}
