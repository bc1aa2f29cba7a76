/// Why a tokenizer could not be built from a GGUF file.
public struct TokenizerError: Error, Sendable, CustomStringConvertible {
    /// The GGUF file.
    public let path: String
    /// What is wrong and what to do.
    public let detail: String

    /// Creates an error.
    public init(path: String, detail: String) {
        self.path = path
        self.detail = detail
    }

    /// `path: detail`.
    public var description: String { "\(path): \(detail)" }
}
