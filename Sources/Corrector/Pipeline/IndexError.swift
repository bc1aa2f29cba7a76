import Foundation

/// A problem with the index directory the engine was pointed at.
public struct IndexError: Error, CustomStringConvertible, Sendable {
    /// The index directory.
    public var directory: String
    /// What is wrong and what to do.
    public var message: String

    /// The message, naming the directory.
    public var description: String { "index \(directory): \(message)" }

    static func missing(_ directory: URL) -> IndexError {
        IndexError(directory: directory.path, message: "no phrase database (phrases.sqlite) here; build one with "
            + "`atcfix index build --out \(directory.path)` (or import corpora with `atcfix corpus import --db "
            + "\(directory.appendingPathComponent("phrases.sqlite").path) --corpus …`)")
    }
}
