#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory mapping of a whole file.
///
/// Weights are read straight from the page cache through this mapping; nothing is copied at load
/// time, so opening a multi-gigabyte model costs only the header parse.
/// The mapping is immutable for its lifetime, which is what makes sharing it across threads safe.
public final class MappedFile: @unchecked Sendable {
    /// The path the file was opened from.
    public let path: String
    /// The mapped bytes; valid as long as this object is alive.
    public let bytes: UnsafeRawBufferPointer

    /// Maps the file at `path`. Empty files are mapped as an empty buffer.
    public init(path: String) throws(GGUFError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw GGUFError(.io, path: path, offset: nil,
                            detail: "cannot open: \(String(cString: strerror(errno))); check the path and permissions")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw GGUFError(.io, path: path, offset: nil, detail: "cannot stat: \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw GGUFError(.io, path: path, offset: nil, detail: "not a regular file")
        }
        let size = Int(info.st_size)
        if size == 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let address, address != MAP_FAILED else {
            throw GGUFError(.io, path: path, offset: nil, detail: "cannot mmap \(size) bytes: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        if let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }
}
