/// Why an index operation failed; `description` says what to do about it.
public struct HNSWError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The broad class of failure, for callers that branch on it.
    public enum Kind: Sendable, Equatable {
        /// A parameter or argument was out of range.
        case invalidArgument
        /// A vector's length did not match the index dimension.
        case dimensionMismatch
        /// A vector contained NaN/infinity, or was zero under the cosine metric.
        case invalidVector
        /// An id was added twice while still live.
        case duplicateID
        /// The file is not an index of this format (magic).
        case wrongMagic
        /// The file was written by an unsupported format version.
        case unsupportedVersion
        /// The file is shorter than its header says.
        case truncated
        /// A checksum did not match: the file is corrupted.
        case corrupted
        /// The index was built with another embedding model.
        case modelMismatch
        /// Reading or writing the file failed at the OS level.
        case io
    }

    /// The class of failure.
    public var kind: Kind
    /// The full, actionable message (includes the file path when one is involved).
    public var message: String
    /// The file involved, when there is one.
    public var path: String?

    /// Creates an error; `path`, when given, is prefixed to the message.
    public init(_ kind: Kind, _ message: String, path: String? = nil) {
        self.kind = kind
        self.path = path
        self.message = path.map { "\($0): \(message)" } ?? message
    }

    /// The message.
    public var description: String { message }
}
