/// A failure of the phrase store, its importers or the embedded corpus, saying where (file and
/// row or line, when there is one) and what to do about it.
public struct PhraseStoreError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file involved (a database, a corpus file), when there is one.
    public var file: String?
    /// The 1-based line or row of `file` the error is about, when there is one.
    public var line: Int?
    /// What went wrong and what to do.
    public var message: String

    /// An error about `file` (and `line`) with an actionable `message`.
    public init(file: String? = nil, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`, the form compilers use, so editors can jump to the place.
    public var description: String {
        switch (file, line) {
        case let (file?, line?): return "\(file):\(line): \(message)"
        case let (file?, nil): return "\(file): \(message)"
        default: return message
        }
    }
}
