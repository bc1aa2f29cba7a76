/// A failure to read a GGUF file or to interpret its contents.
///
/// Every error names the file and, where one exists, the byte offset at which the problem was
/// found, so that a user can tell a truncated download from a file written by a different tool.
public struct GGUFError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, independent of where.
    public enum Kind: Sendable, Equatable {
        /// The file could not be opened, inspected or mapped (the operating system's reason is in `detail`).
        case io
        /// The first four bytes are not `GGUF`.
        case badMagic
        /// The header declares a version this reader does not support (only 2 and 3 are).
        case unsupportedVersion(UInt32)
        /// A read ran past the end of the file.
        case truncated
        /// A structure is internally inconsistent (bad value type, absurd dimension, duplicate name…).
        case corrupted
        /// A tensor's data lies partly or wholly outside the file.
        case tensorDataOutsideFile(tensor: String)
        /// A tensor declares a ggml type id that this reader does not know.
        case unknownTensorType(id: UInt32, tensor: String)
        /// A metadata key is missing or has a different type than the caller needs.
        case metadata(key: String)
        /// The tensor type is known but has no dequantiser here.
        case unsupportedTensorType(GGMLType)
        /// A tensor name was looked up that the file does not contain.
        case noSuchTensor(String)
    }

    /// What went wrong.
    public let kind: Kind
    /// The path of the file concerned.
    public let path: String
    /// The byte offset in the file where the problem was detected, if it is tied to one.
    public let offset: Int?
    /// A human explanation with a hint at what to do.
    public let detail: String

    /// Creates an error; `detail` should say what was expected and what to do about it.
    public init(_ kind: Kind, path: String, offset: Int?, detail: String) {
        self.kind = kind
        self.path = path
        self.offset = offset
        self.detail = detail
    }

    /// `path[@offset]: detail`, the form printed by the CLI.
    public var description: String {
        if let offset {
            return "\(path) @ byte \(offset): \(detail)"
        }
        return "\(path): \(detail)"
    }
}
