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
        discussion: CommandHelp.discussion(
            """
            Both columns are put in the canonical ATC normal form first (ASCII, lowercase, no \
            punctuation, number words as digits, one token per digit, ICAO spellings), so \
            "Lufthansa 4393" and "lufthansa four three nine three" agree. Corpus WER is total \
            edits / total reference words; mean_utt_wer averages the per-row rates over rows \
            whose normalised reference is not empty.
            """,
            examples: [
                "atcfix wer --in test.csv",
                "atcfix wer --in out.csv --text-column corrected_text --ref-column correct_text --json",
            ])
    )

    @Option(name: .customLong("in"), help: "CSV file with a header line.")
    var input: String

    @Option(help: "Reference column.")
    var refColumn: String = "correct_text"

    @Option(help: "Hypothesis column (the Whisper transcript, or corrected_text of a batch output).")
    var textColumn: String = "whisper_text"

    /// The `--json` summary.
    struct Summary: Encodable {
        var file: String
        var rows: Int
        var refWords: Int
        var sub: Int
        var del: Int
        var ins: Int
        var errors: Int
        var wer: Double?
        var meanUttWer: Double?
        var emptyRefRows: Int
    }

    @Flag(help: "Print one JSON object instead of the text summary (keys: file, rows, ref_words, sub, del, ins, errors, wer, mean_utt_wer, empty_ref_rows).")
    var json = false

    @Flag(help: "Also print every row's counts and normal forms (text output only).")
    var perRow = false

    func run() throws {
        let (score, lines) = try Self.score(path: input, reference: refColumn, hypothesis: textColumn, keepingRows: perRow && !json)
        if json {
            try JSONOutput.print(Summary(
                file: input, rows: score.rowCount, refWords: score.total.referenceWords, sub: score.total.substitutions,
                del: score.total.deletions, ins: score.total.insertions, errors: score.total.errors,
                wer: JSONOutput.score(score.wer), meanUttWer: JSONOutput.score(score.meanUtteranceWER),
                emptyRefRows: score.emptyReferenceRows))
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
