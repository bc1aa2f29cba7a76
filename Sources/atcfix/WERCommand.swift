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
        do {
            score = try Self.score(path: input, reference: ref, hypothesis: hyp)
        } catch {
            FileHandle.standardError.write(Data("atcfix wer: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if json {
            print(Self.json(score, file: input))
        } else {
            print(Self.summary(score, file: input))
            if perRow {
                for (index, row) in score.rows.enumerated() {
                    print("row \(index + 1): errors \(row.counts.errors)/\(row.counts.referenceWords)"
                        + " | ref: \(row.reference.joined(separator: " "))"
                        + " | hyp: \(row.hypothesis.joined(separator: " "))")
                }
            }
        }
    }

    /// Streams `path` and scores column `hypothesis` against column `reference`.
    static func score(path: String, reference: String, hypothesis: String) throws(CSVError) -> CorpusWER {
        let reader = try CSVReader(path: path)
        let referenceColumn = try reader.column(named: reference)
        let hypothesisColumn = try reader.column(named: hypothesis)
        var score = CorpusWER()
        while let record = try reader.next() {
            score.add(reference: record[referenceColumn], hypothesis: record[hypothesisColumn])
        }
        return score
    }

    static func summary(_ score: CorpusWER, file: String) -> String {
        let total = score.total
        return """
            \(file): \(score.rows.count) rows, \(total.referenceWords) reference words
            corpus WER      \(percent(score.wer))  (sub \(total.substitutions), del \(total.deletions), ins \(total.insertions))
            mean utt. WER   \(percent(score.meanUtteranceWER))  (\(score.emptyReferenceRows) rows with an empty reference left out)
            """
    }

    static func json(_ score: CorpusWER, file: String) -> String {
        let total = score.total
        // Keys in a fixed order so outputs diff cleanly; numbers rounded to 6 places.
        let fields: [(String, String)] = [
            ("file", jsonString(file)),
            ("rows", "\(score.rows.count)"),
            ("ref_words", "\(total.referenceWords)"),
            ("sub", "\(total.substitutions)"),
            ("del", "\(total.deletions)"),
            ("ins", "\(total.insertions)"),
            ("errors", "\(total.errors)"),
            ("wer", String(format: "%.6f", score.wer)),
            ("mean_utt_wer", String(format: "%.6f", score.meanUtteranceWER)),
            ("empty_ref_rows", "\(score.emptyReferenceRows)"),
        ]
        return "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }

    private static func percent(_ fraction: Double) -> String {
        String(format: "%6.2f%%", fraction * 100)
    }

    private static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
