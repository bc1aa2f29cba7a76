import CVectorKernels
import Foundation
import Support

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The on-disk format (version 1), little-endian:
///
/// ```
/// 0    magic "ATCFHNSW"            8 bytes
/// 8    format version              u32 (1)
/// 12   header size                 u32 (512)
/// 16   file length                 u64 (detects truncation before anything else)
/// 24   dimension                   u32
/// 28   metric, storage, keepPruned u8 ×3, pad
/// 32   node count (with deleted)   u64
/// 40   deleted count               u64
/// 48   m, efConstruction, efSearch u32 ×3
/// 60   max level                   i32
/// 64   seed                        u64
/// 72   entry point                 u32, pad
/// 80   upper-link block count      u64
/// 88   section count               u32 (8), pad
/// 96   section table: 8 × {offset u64, length u64, crc32c u32, pad u32}
/// 508  CRC-32C of bytes 0..<508
/// ```
/// Sections, each 64-byte aligned: model identity (UTF-8), ids, levels, upper offsets,
/// tombstones, layer-0 links, upper links, vectors.
///
/// Checksums: the header has its own CRC and every section has one, all verified at load.
/// Verifying reads each byte once (hardware CRC-32C, ~10 GB/s, so ~25 ms for a 230 MB index),
/// which is also what warms the page cache for the first searches; in exchange a bit flip
/// anywhere is reported at load naming the section, instead of surfacing later as a wrong
/// answer. Per-section CRCs (rather than one whole-file CRC) make the error say *where*. Load
/// also checks every link points inside the graph, so even a file whose checksums were forged
/// cannot make a search read out of bounds.
enum HNSWFileFormat {
    static let magic: [UInt8] = Array("ATCFHNSW".utf8)
    static let version: UInt32 = 1
    static let headerSize = 512
    static let sectionCount = 8
    static let sectionNames = [
        "model identity", "ids", "levels", "upper offsets", "tombstones", "layer-0 links", "upper links", "vectors",
    ]

    // MARK: save

    static func save(_ graph: HNSWGraph, modelIdentity: String, to url: URL) throws(HNSWError) {
        let path = url.path
        let identity = Array(modelIdentity.utf8)
        let n = graph.count
        let sources: [(UnsafeRawPointer?, Int)] = [
            (nil, identity.count),
            (UnsafeRawPointer(graph.ids.base), n * 8),
            (UnsafeRawPointer(graph.levels.base), n),
            (UnsafeRawPointer(graph.upperOffsets.base), n * 4),
            (UnsafeRawPointer(graph.tombstones.base), n),
            (UnsafeRawPointer(graph.level0.base), n * graph.level0Stride * 4),
            (UnsafeRawPointer(graph.upperLinks.base), graph.upperBlockCount * graph.upperStride * 4),
            (UnsafeRawPointer(graph.vectors.base), n * graph.bytesPerVector),
        ]
        var offsets: [Int] = []
        var cursor = headerSize
        for (_, length) in sources {
            cursor = align(cursor)
            offsets.append(cursor)
            cursor += length
        }
        let fileLength = cursor
        var crcs: [UInt32] = []
        for (index, (pointer, length)) in sources.enumerated() {
            if index == 0 {
                crcs.append(identity.withUnsafeBytes { vk_crc32c(0, $0.baseAddress, $0.count) })
            } else {
                crcs.append(length == 0 ? vk_crc32c(0, nil, 0) : vk_crc32c(0, pointer, length))
            }
        }
        var header = [UInt8](repeating: 0, count: headerSize)
        header.replaceSubrange(0..<8, with: magic)
        put(&header, 8, version)
        put(&header, 12, UInt32(headerSize))
        put(&header, 16, UInt64(fileLength))
        put(&header, 24, UInt32(graph.dimension))
        header[28] = graph.metric.rawValue
        header[29] = graph.parameters.storage.rawValue
        header[30] = graph.parameters.keepPrunedConnections ? 1 : 0
        put(&header, 32, UInt64(n))
        put(&header, 40, UInt64(graph.deletedCount))
        put(&header, 48, UInt32(graph.m))
        put(&header, 52, UInt32(graph.parameters.efConstruction))
        put(&header, 56, UInt32(graph.parameters.efSearch))
        put(&header, 60, UInt32(bitPattern: Int32(graph.maxLevel)))
        put(&header, 64, graph.parameters.seed)
        put(&header, 72, graph.entryPoint)
        put(&header, 80, UInt64(graph.upperBlockCount))
        put(&header, 88, UInt32(sectionCount))
        for i in 0..<sectionCount {
            put(&header, 96 + 24 * i, UInt64(offsets[i]))
            put(&header, 104 + 24 * i, UInt64(sources[i].1))
            put(&header, 112 + 24 * i, crcs[i])
        }
        put(&header, 508, header.withUnsafeBytes { vk_crc32c(0, $0.baseAddress, 508) })

        let directory = url.deletingLastPathComponent().path
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw HNSWError(.io, "cannot create temporary file \(temporary) (\(errnoText())); check the directory exists and is writable", path: path)
        }
        var closed = false
        do throws(HNSWError) {
            var written = 0
            try writeArray(fd, header, headerSize, temporary)
            written = headerSize
            let zeros = [UInt8](repeating: 0, count: 64)
            for (index, (pointer, length)) in sources.enumerated() {
                let padding = offsets[index] - written
                if padding > 0 { try writeArray(fd, zeros, padding, temporary) }
                if index == 0 {
                    try writeArray(fd, identity, identity.count, temporary)
                } else if length > 0, let pointer {
                    try writeAll(fd, pointer, length, temporary)
                }
                written = offsets[index] + length
            }
            guard fsync(fd) == 0 else { throw HNSWError(.io, "fsync of \(temporary) failed (\(errnoText()))", path: path) }
            close(fd)
            closed = true
            guard rename(temporary, path) == 0 else {
                throw HNSWError(.io, "cannot rename \(temporary) over the index (\(errnoText()))", path: path)
            }
        } catch {
            if !closed { close(fd) }
            unlink(temporary)
            throw error
        }
        // Make the rename itself durable.
        let dirFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        if dirFD >= 0 { _ = fsync(dirFD); close(dirFD) }
    }

    private static func writeArray(_ fd: Int32, _ bytes: [UInt8], _ length: Int, _ path: String) throws(HNSWError) {
        guard length > 0 else { return }
        let failure: HNSWError? = bytes.withUnsafeBytes { raw in
            do throws(HNSWError) {
                try writeAll(fd, raw.baseAddress!, length, path)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    private static func writeAll(_ fd: Int32, _ pointer: UnsafeRawPointer, _ length: Int, _ path: String) throws(HNSWError) {
        var done = 0
        while done < length {
            let chunk = min(length - done, 1 << 30)
            let result = write(fd, pointer + done, chunk)
            if result < 0 {
                if errno == EINTR { continue }
                throw HNSWError(.io, "write failed after \(done) bytes (\(errnoText())); is the disk full?", path: path)
            }
            done += result
        }
    }

    // MARK: load

    /// The header fields, as read and range-checked.
    struct Header {
        var fileLength: Int
        var dimension: Int
        var metric: VectorMetric
        var parameters: HNSWParameters
        var count: Int
        var deletedCount: Int
        var maxLevel: Int
        var entryPoint: UInt32
        var upperBlockCount: Int
        var sections: [(offset: Int, length: Int, crc: UInt32)]
    }

    /// Reads and checks the header (magic, version, header CRC, file length, field ranges).
    static func readHeader(_ file: MappedFile) throws(HNSWError) -> Header {
        let path = file.path
        let length = file.bytes.count
        guard length > 0, let bytes = file.bytes.baseAddress else {
            throw HNSWError(.truncated, "file is empty (0 bytes); rebuild the index", path: path)
        }
        guard length >= 8, (0..<8).allSatisfy({ bytes.load(fromByteOffset: $0, as: UInt8.self) == magic[$0] }) else {
            throw HNSWError(.wrongMagic, "not an atcfix HNSW index (bad magic at offset 0); pass the .hnsw file written by atcfix", path: path)
        }
        guard length >= headerSize else {
            throw HNSWError(.truncated, "truncated: \(length) bytes, shorter than the \(headerSize)-byte header; rebuild the index", path: path)
        }
        let version: UInt32 = get(bytes, 8)
        guard version == self.version else {
            throw HNSWError(.unsupportedVersion, "format version \(version) at offset 8, this build reads version \(self.version); rebuild the index with this atcfix", path: path)
        }
        let storedCRC: UInt32 = get(bytes, 508)
        let actualCRC = vk_crc32c(0, bytes, 508)
        guard storedCRC == actualCRC else {
            throw HNSWError(.corrupted, "header checksum mismatch (bytes 0..<508): the file is corrupted; rebuild the index", path: path)
        }
        // Sizes and counts are u64 on disk; each is checked against the file's length before
        // it becomes an Int or sizes anything, so a forged header cannot trap or allocate.
        let storedLength: UInt64 = get(bytes, 16)
        if UInt64(length) < storedLength {
            throw HNSWError(.truncated, "truncated: \(length) bytes on disk, header says \(storedLength); the file was cut short, rebuild the index", path: path)
        }
        let fileLength = Int(storedLength)
        if length > fileLength {
            throw HNSWError(.corrupted, "\(length - fileLength) unexpected bytes after offset \(fileLength); rebuild the index", path: path)
        }
        let dimension = Int(get(bytes, 24) as UInt32)
        guard let metric = VectorMetric(rawValue: get(bytes, 28)),
              let storage = VectorStorageFormat(rawValue: get(bytes, 29)) else {
            throw HNSWError(.corrupted, "unknown metric or storage code at offset 28", path: path)
        }
        let parameters = HNSWParameters(
            m: Int(get(bytes, 48) as UInt32), efConstruction: Int(get(bytes, 52) as UInt32),
            efSearch: Int(get(bytes, 56) as UInt32), seed: get(bytes, 64), storage: storage,
            keepPrunedConnections: (get(bytes, 30) as UInt8) != 0)
        if let problem = parameters.validationProblem() {
            throw HNSWError(.corrupted, "invalid parameters in header: \(problem)", path: path)
        }
        guard dimension > 0 && dimension <= 1 << 20 else {
            throw HNSWError(.corrupted, "invalid dimension \(dimension) at offset 24", path: path)
        }
        var sections: [(offset: Int, length: Int, crc: UInt32)] = []
        guard (get(bytes, 88) as UInt32) == UInt32(sectionCount) else {
            throw HNSWError(.corrupted, "section count at offset 88 is not \(sectionCount)", path: path)
        }
        for i in 0..<sectionCount {
            let offset: UInt64 = get(bytes, 96 + 24 * i)
            let size: UInt64 = get(bytes, 104 + 24 * i)
            guard offset >= UInt64(headerSize), offset <= storedLength, size <= storedLength - offset else {
                throw HNSWError(.corrupted, "section '\(sectionNames[i])' (\(offset), \(size) bytes) lies outside the file", path: path)
            }
            sections.append((Int(offset), Int(size), get(bytes, 112 + 24 * i)))
        }
        // Every node takes at least one byte in the levels section, so a count above the file
        // length is forged; the exact section sizes are checked once the strides are known.
        func count(at offset: Int, _ what: String) throws(HNSWError) -> Int {
            let value: UInt64 = get(bytes, offset)
            guard value <= storedLength else {
                throw HNSWError(.corrupted, "\(what) \(value) at offset \(offset) cannot fit in a \(fileLength)-byte file", path: path)
            }
            return Int(value)
        }
        return Header(
            fileLength: fileLength, dimension: dimension, metric: metric, parameters: parameters,
            count: try count(at: 32, "node count"), deletedCount: try count(at: 40, "deleted count"),
            maxLevel: Int(Int32(bitPattern: get(bytes, 60))), entryPoint: get(bytes, 72),
            upperBlockCount: try count(at: 80, "upper-link block count"), sections: sections)
    }

    /// Maps and fully validates a file; the returned graph borrows the mapping.
    static func load(
        path: String, expectedModelIdentity: String?, expectedDimension: Int?
    ) throws(HNSWError) -> (graph: HNSWGraph, modelIdentity: String) {
        let file: MappedFile
        do {
            file = try MappedFile(path: path, access: .copyOnWrite)
        } catch {
            throw HNSWError(.io, error.detail, path: path)
        }
        let header = try readHeader(file)
        // readHeader has checked the file is not empty, so there is a base address.
        guard let bytes = UnsafeRawPointer(file.mutableBytes?.baseAddress) else {
            throw HNSWError(.io, "the mapping has no writable pages", path: path)
        }
        func section(_ i: Int) -> UnsafeRawPointer { bytes + header.sections[i].offset }
        func verify(_ i: Int) throws(HNSWError) {
            let s = header.sections[i]
            let crc = vk_crc32c(0, bytes + s.offset, s.length)
            guard crc == s.crc else {
                throw HNSWError(.corrupted, "checksum mismatch in section '\(sectionNames[i])' (offset \(s.offset), \(s.length) bytes): the file is corrupted; rebuild the index", path: path)
            }
        }
        try verify(0)
        let identity = String(decoding: UnsafeRawBufferPointer(start: section(0), count: header.sections[0].length), as: UTF8.self)
        if let expectedModelIdentity, expectedModelIdentity != identity {
            throw HNSWError(.modelMismatch, "index was built with embedding model '\(identity)', expected '\(expectedModelIdentity)'; rebuild the index for this model", path: path)
        }
        if let expectedDimension, expectedDimension != header.dimension {
            throw HNSWError(.dimensionMismatch, "index has dimension \(header.dimension), expected \(expectedDimension); rebuild the index for this model", path: path)
        }
        let graph = HNSWGraph(dimension: header.dimension, metric: header.metric, parameters: header.parameters)
        let n = header.count
        // Counts are at most the file length (readHeader), and strides small, but the products
        // are still computed with overflow checks: a forged header must get an error, not a trap.
        func product(_ a: Int, _ b: Int, _ c: Int = 1) -> Int? {
            let (ab, o1) = a.multipliedReportingOverflow(by: b)
            let (abc, o2) = ab.multipliedReportingOverflow(by: c)
            return o1 || o2 ? nil : abc
        }
        let expectedLengths: [Int?] = [
            header.sections[0].length, product(n, 8), n, product(n, 4), n, product(n, graph.level0Stride, 4),
            product(header.upperBlockCount, graph.upperStride, 4), product(n, graph.bytesPerVector),
        ]
        for i in 1..<sectionCount where header.sections[i].length != expectedLengths[i] {
            let expected = expectedLengths[i].map { "\($0)" } ?? "more than can be addressed"
            throw HNSWError(.corrupted, "section '\(sectionNames[i])' is \(header.sections[i].length) bytes, expected \(expected) for \(n) nodes", path: path)
        }
        for i in 1..<sectionCount { try verify(i) }
        func borrow(_ i: Int) -> GraphBuffer {
            GraphBuffer.borrowed(UnsafeMutableRawPointer(mutating: section(i)), bytes: header.sections[i].length)
        }
        graph.ids = borrow(1)
        graph.levels = borrow(2)
        graph.upperOffsets = borrow(3)
        graph.tombstones = borrow(4)
        graph.level0 = borrow(5)
        graph.upperLinks = borrow(6)
        graph.vectors = borrow(7)
        graph.count = n
        graph.capacity = n
        graph.upperBlockCount = header.upperBlockCount
        graph.deletedCount = header.deletedCount
        graph.maxLevel = header.maxLevel
        graph.entryPoint = header.entryPoint
        graph.idMap = nil
        graph.mapping = file
        try validateStructure(graph, path: path)
        return (graph, identity)
    }

    /// Checks every invariant the search relies on for memory safety.
    private static func validateStructure(_ graph: HNSWGraph, path: String) throws(HNSWError) {
        let n = graph.count
        if n == 0 {
            guard graph.entryPoint == HNSWGraph.noNode, graph.maxLevel == -1 else {
                throw HNSWError(.corrupted, "empty index with an entry point", path: path)
            }
            return
        }
        guard graph.entryPoint < UInt32(n), graph.maxLevel == graph.level(of: graph.entryPoint) else {
            throw HNSWError(.corrupted, "entry point \(graph.entryPoint) / max level \(graph.maxLevel) inconsistent with \(n) nodes", path: path)
        }
        var deleted = 0
        for node in 0..<n {
            let u = UInt32(node)
            let level = graph.level(of: u)
            guard level <= HNSWGraph.maxLevelLimit, level <= graph.maxLevel else {
                throw HNSWError(.corrupted, "node \(node) has level \(level) above the max level \(graph.maxLevel)", path: path)
            }
            if level > 0 {
                let offset = Int(graph.upperOffsets.typed(UInt32.self)[node])
                guard offset + level <= graph.upperBlockCount else {
                    throw HNSWError(.corrupted, "node \(node)'s upper links point past the upper-link section", path: path)
                }
            }
            if graph.isDeleted(u) { deleted += 1 }
            for l in 0...level {
                let block = graph.links(u, level: l)
                let limit = l == 0 ? graph.m0 : graph.m
                let c = Int(block[0])
                guard c <= limit else {
                    throw HNSWError(.corrupted, "node \(node) has \(c) links at level \(l), limit \(limit)", path: path)
                }
                for i in 1..<(c + 1) {
                    let target = block[i]
                    guard target < UInt32(n), graph.level(of: target) >= l else {
                        throw HNSWError(.corrupted, "node \(node) links to invalid node \(target) at level \(l)", path: path)
                    }
                }
            }
        }
        guard deleted == graph.deletedCount else {
            throw HNSWError(.corrupted, "\(deleted) tombstones but the header counts \(graph.deletedCount)", path: path)
        }
    }

    // MARK: bytes

    static func align(_ offset: Int) -> Int { (offset + 63) & ~63 }

    static func put<T: FixedWidthInteger>(_ bytes: inout [UInt8], _ offset: Int, _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for i in 0..<raw.count { bytes[offset + i] = raw[i] }
        }
    }

    static func get<T: FixedWidthInteger>(_ base: UnsafeRawPointer, _ offset: Int) -> T {
        T(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
