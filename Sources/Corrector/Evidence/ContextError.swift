/// A context file that cannot be used.
public struct ContextError: Error, Sendable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// What is wrong and what to do.
    public var message: String
    /// The message, naming the file.
    public var description: String { "context file \(path): \(message)" }
}
