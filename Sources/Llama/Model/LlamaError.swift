import GGUF

/// A failure to load a model or to evaluate tokens, with what was found and what to do.
public struct LlamaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure, for callers that react differently to each.
    public enum Kind: Sendable, Equatable {
        /// `general.architecture` names a family this engine does not run.
        case unsupportedArchitecture(String)
        /// A tensor uses an encoding the kernels do not implement.
        case unsupportedTensorType(tensor: String, type: String)
        /// A tensor the architecture needs is absent or has the wrong shape.
        case badTensor(String)
        /// A hyper-parameter is missing or inconsistent.
        case badMetadata(String)
        /// The reader failed (the underlying error is in `detail`).
        case file
        /// A token id outside the vocabulary.
        case tokenOutOfRange(token: Int32, vocabulary: Int)
        /// The evaluation would run past the session's context length.
        case contextOverflow(needed: Int, context: Int)
        /// A position argument outside what the session holds.
        case badPosition(Int)
        /// Anything else the caller passed that cannot be evaluated (empty batch, bad layer…).
        case invalidArgument
    }

    /// What went wrong.
    public let kind: Kind
    /// The model file concerned, when known.
    public let path: String?
    /// A human explanation with a hint at what to do.
    public let detail: String

    /// Creates an error; `detail` should say what was found and what to do about it.
    public init(_ kind: Kind, path: String? = nil, detail: String) {
        self.kind = kind
        self.path = path
        self.detail = detail
    }

    /// `path: detail`, the form the CLI prints.
    public var description: String {
        if let path { return "\(path): \(detail)" }
        return detail
    }
}
