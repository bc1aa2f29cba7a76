#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped private and writable: reads come straight from the page cache (nothing
/// is parsed or copied at load), and in-place changes (tombstones, links of an incremental add)
/// stay private copy-on-write pages that never reach the file.
final class MappedFile {
    let base: UnsafeMutableRawPointer
    let length: Int
    let path: String

    init(path: String) throws(HNSWError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw HNSWError(.io, "cannot open (\(String(cString: strerror(errno)))); check the path", path: path)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw HNSWError(.io, "cannot stat (\(String(cString: strerror(errno))))", path: path)
        }
        length = Int(info.st_size)
        guard length > 0 else {
            throw HNSWError(.truncated, "file is empty (0 bytes); rebuild the index", path: path)
        }
        let pointer = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0)
        guard let pointer, pointer != MAP_FAILED else {
            throw HNSWError(.io, "cannot map \(length) bytes (\(String(cString: strerror(errno))))", path: path)
        }
        base = pointer
    }

    deinit { munmap(base, length) }
}
