/// Why a file could not be mapped; formats wrap it in their own error type.
public struct MappedFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The step that failed.
    public enum Kind: Sendable, Equatable {
        /// `open` failed (missing file, permissions).
        case cannotOpen
        /// `fstat` failed.
        case cannotInspect
        /// The path is a directory, device, pipe or socket.
        case notRegularFile
        /// `mmap` of this many bytes failed (address space, resource limits).
        case cannotMap(byteCount: Int)
    }

    /// The step that failed.
    public let kind: Kind
    /// The file concerned.
    public let path: String
    /// The operating system's reason (`strerror`), or what was wrong with the file.
    public let reason: String

    /// An error for `path`.
    public init(_ kind: Kind, path: String, reason: String) {
        self.kind = kind
        self.path = path
        self.reason = reason
    }

    /// What failed and what to check, without the path (formats prefix their own).
    public var detail: String {
        switch kind {
        case .cannotOpen: "cannot open: \(reason); check the path and permissions"
        case .cannotInspect: "cannot stat: \(reason)"
        case .notRegularFile: "not a regular file; pass the path of the file itself"
        case .cannotMap(let byteCount): "cannot mmap \(byteCount) bytes: \(reason)"
        }
    }

    /// `path: detail`.
    public var description: String { "\(path): \(detail)" }
}
