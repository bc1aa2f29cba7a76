import Foundation

extension CorpusWER {
    /// The scores as one JSON object with keys in a fixed order (so outputs diff cleanly):
    /// `file`, `rows`, `ref_words`, `sub`, `del`, `ins`, `errors`, `wer`, `mean_utt_wer`
    /// (rates as fractions, 6 decimals) and `empty_ref_rows`.
    public func jsonSummary(file: String) -> String {
        let fields: [(String, String)] = [
            ("file", Self.jsonString(file)),
            ("rows", "\(rowCount)"),
            ("ref_words", "\(total.referenceWords)"),
            ("sub", "\(total.substitutions)"),
            ("del", "\(total.deletions)"),
            ("ins", "\(total.insertions)"),
            ("errors", "\(total.errors)"),
            ("wer", String(format: "%.6f", wer)),
            ("mean_utt_wer", String(format: "%.6f", meanUtteranceWER)),
            ("empty_ref_rows", "\(emptyReferenceRows)"),
        ]
        return "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }

    /// A three-line human summary: rows and reference words, corpus WER with its
    /// substitutions / deletions / insertions, and mean per-utterance WER.
    public func textSummary(file: String) -> String {
        """
        \(file): \(rowCount) rows, \(total.referenceWords) reference words
        corpus WER     \(Self.percent(wer))  (sub \(total.substitutions), del \(total.deletions), ins \(total.insertions))
        mean utt. WER  \(Self.percent(meanUtteranceWER))  (\(emptyReferenceRows) rows with an empty reference left out)
        """
    }

    private static func percent(_ fraction: Double) -> String {
        String(format: "%6.2f%%", fraction * 100)
    }

    /// `text` as a JSON string literal (RFC 8259 escaping).
    static func jsonString(_ text: String) -> String {
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
