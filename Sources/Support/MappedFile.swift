#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped into memory: reads come straight from the page cache, so opening a
/// multi-gigabyte model or index costs nothing until its bytes are touched, and nothing is
/// copied at load.
///
/// `.readOnly` mappings are immutable for their lifetime, which is what makes sharing one
/// across threads safe. `.copyOnWrite` mappings may be changed in place through
/// ``mutableBytes`` (an index's tombstones and the links of an incremental add): the changes
/// stay in private pages and never reach the file, and the owner must serialise them like any
/// other shared mutable memory.
public final class MappedFile: @unchecked Sendable {
    /// How the pages may be used.
    public enum Access: Sendable, Equatable {
        /// Read only (`PROT_READ`).
        case readOnly
        /// Readable and writable, with writes kept private to this process (`MAP_PRIVATE`).
        case copyOnWrite
    }

    /// The path the file was opened from.
    public let path: String
    /// How the file was mapped.
    public let access: Access
    /// The mapped bytes (an empty buffer for an empty file); valid while this object lives.
    public let bytes: UnsafeRawBufferPointer

    /// Maps the whole regular file at `path`. An empty file maps as an empty buffer (callers
    /// decide whether that is an error for their format).
    public init(path: String, access: Access = .readOnly) throws(MappedFileError) {
        self.path = path
        self.access = access
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw MappedFileError(.cannotOpen, path: path, reason: Self.errnoText()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw MappedFileError(.cannotInspect, path: path, reason: Self.errnoText())
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw MappedFileError(.notRegularFile, path: path, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        if size == 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let protection = access == .readOnly ? PROT_READ : PROT_READ | PROT_WRITE
        let address = mmap(nil, size, protection, MAP_PRIVATE, fd, 0)
        guard let address, address != MAP_FAILED else {
            throw MappedFileError(.cannotMap(byteCount: size), path: path, reason: Self.errnoText())
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    /// The mapping for in-place private changes: nil for a `.readOnly` mapping or an empty file.
    public var mutableBytes: UnsafeMutableRawBufferPointer? {
        guard access == .copyOnWrite, bytes.baseAddress != nil else { return nil }
        return UnsafeMutableRawBufferPointer(mutating: bytes)
    }

    deinit {
        if let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
