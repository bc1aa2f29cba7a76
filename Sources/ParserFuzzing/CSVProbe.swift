import CSVIO
import Foundation

/// Reads bytes as a CSV file to the end, strictly and with invalid UTF-8 repaired, and with
/// a tiny chunk size so that records straddle reads.
public struct CSVProbe: Sendable {
    private let scratch: ScratchDirectory

    /// A probe writing its inputs into `scratch`.
    public init(scratch: ScratchDirectory) { self.scratch = scratch }

    /// Reads `bytes`; rejected when any of the three readings fails.
    public func run(_ bytes: [UInt8]) -> ProbeOutcome {
        let url = URL(fileURLWithPath: scratch.write(bytes, to: "input.csv"))
        var outcome = ProbeOutcome.accepted
        for (chunkSize, repairs) in [(1 << 16, false), (7, false), (1 << 16, true)] {
            do {
                let reader = try CSVReader(url: url, chunkSize: chunkSize, repairsInvalidUTF8: repairs)
                _ = try? reader.column(named: "correct_text")
                while let record = try reader.next() {
                    guard record.fields.count == reader.header.count else {
                        return .rejected("\(url.path):\(record.line): record has \(record.fields.count) fields for \(reader.header.count) columns")
                    }
                }
            } catch {
                outcome = .rejected(error.description)
            }
        }
        return outcome
    }

    /// Valid CSVs: quoting, doubled quotes, line breaks inside fields, CRLF and lone CR line
    /// ends, a byte-order mark, non-ASCII text, empty fields, no final line end.
    public static func seeds() -> [[UInt8]] {
        [
            "correct_text,whisper_text\nlufthansa four two one,Lufthansa 421\n\"descend, flight level\",\"say \"\"again\"\"\"\n",
            "\u{FEFF}a,b,c\r\n1,,3\r\n\"multi\nline\",x,\"\"\r\n",
            "correct_text,whisper_text\rswiss one two,Swiss 12\rzürich ✈︎,Zurich",
            "only\n\"\"\n\n\nlast",
        ].map { Array($0.utf8) }
    }
}
