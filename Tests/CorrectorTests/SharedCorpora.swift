import CSVIO
import Foundation

/// Locates `../shared/corpora` (or `$ATCFIX_CORPORA`) and reads its CSVs for the tests that
/// measure against real data.
enum SharedCorpora {
    static let root: URL = {
        if let path = ProcessInfo.processInfo.environment["ATCFIX_CORPORA"] {
            return URL(fileURLWithPath: path)
        }
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return package.deletingLastPathComponent().appendingPathComponent("shared/corpora")
    }()

    static var available: Bool {
        let present = FileManager.default.fileExists(atPath: root.appendingPathComponent("atcosim/train.whisper-small.csv").path)
        if !present { print("note: shared corpora not found at \(root.path); set ATCFIX_CORPORA. Skipping the tests that need them.") }
        return present
    }

    /// (hypothesis, reference) text pairs of one file.
    static func pairs(_ relativePath: String, hypothesis: String = "whisper_text", reference: String = "correct_text") throws -> [(String, String)] {
        let reader = try CSVReader(url: root.appendingPathComponent(relativePath))
        let h = try reader.column(named: hypothesis)
        let r = try reader.column(named: reference)
        var rows: [(String, String)] = []
        while let record = try reader.next() { rows.append((record[h], record[r])) }
        return rows
    }
}
