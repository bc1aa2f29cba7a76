/// A retrieval or index-build failure, with a message saying what to do.
public struct RetrievalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, naming the file or index involved.
    public var message: String

    /// An error with `message`.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
