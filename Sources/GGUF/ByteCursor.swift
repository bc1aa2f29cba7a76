/// A bounds-checked little-endian reader over the mapped file.
///
/// Every read checks the remaining length first so that a truncated or corrupted file yields a
/// `GGUFError` naming the offset instead of a crash.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    let path: String
    private(set) var offset: Int

    init(bytes: UnsafeRawBufferPointer, path: String, offset: Int = 0) {
        self.bytes = bytes
        self.path = path
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    /// Throws `.truncated` unless `count` more bytes are available.
    func need(_ count: Int, for what: String) throws(GGUFError) {
        if count < 0 || count > remaining {
            throw GGUFError(.truncated, path: path, offset: offset,
                            detail: "file ends (size \(bytes.count)) while reading \(what), which needs \(count) bytes; "
                                + "the file is truncated or corrupted — download or convert it again")
        }
    }

    mutating func scalar<T: FixedWidthInteger>(_: T.Type, _ what: String) throws(GGUFError) -> T {
        try need(MemoryLayout<T>.size, for: what)
        let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += MemoryLayout<T>.size
        return value
    }

    mutating func u8(_ what: String) throws(GGUFError) -> UInt8 { try scalar(UInt8.self, what) }
    mutating func u32(_ what: String) throws(GGUFError) -> UInt32 { try scalar(UInt32.self, what) }
    mutating func u64(_ what: String) throws(GGUFError) -> UInt64 { try scalar(UInt64.self, what) }

    /// Reads a u64 that must fit a non-negative `Int` (counts, lengths, dimensions).
    mutating func count(_ what: String) throws(GGUFError) -> Int {
        let start = offset
        let raw = try u64(what)
        guard raw <= UInt64(Int.max) else {
            throw GGUFError(.corrupted, path: path, offset: start, detail: "\(what) is \(raw), which is not a plausible size; the file is corrupted")
        }
        return Int(raw)
    }

    /// A GGUF string: u64 length then that many bytes (UTF-8 by the spec; invalid sequences are
    /// repaired with U+FFFD rather than rejected).
    mutating func string(_ what: String) throws(GGUFError) -> String {
        let length = try count("length of \(what)")
        try need(length, for: what)
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)])
        offset += length
        return String(decoding: slice, as: UTF8.self)
    }

    /// `count` little-endian scalars of type `T`, read in one bounds check.
    mutating func scalars<T: FixedWidthInteger>(_: T.Type, count: Int, _ what: String) throws(GGUFError) -> [T] {
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.size)
        if overflow { try need(-1, for: what) }
        try need(byteCount, for: what)
        let base = offset
        let result = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count {
                buffer[i] = T(littleEndian: bytes.loadUnaligned(fromByteOffset: base + i * MemoryLayout<T>.size, as: T.self))
            }
            initialized = count
        }
        offset += byteCount
        return result
    }

    /// Reads `count` GGUF strings as spans (start, length) without decoding them. One tight loop
    /// over the raw buffer: vocabularies have 10^5 entries and this runs at every model open.
    mutating func stringSpans(count: Int, _ what: String) throws(GGUFError) -> (starts: [Int], lengths: [Int]) {
        var starts = [Int](repeating: 0, count: count)
        var lengths = [Int](repeating: 0, count: count)
        let size = bytes.count
        var position = offset
        var failedAt: Int? = nil
        if let base = bytes.baseAddress {
            starts.withUnsafeMutableBufferPointer { s in
                lengths.withUnsafeMutableBufferPointer { l in
                    for i in 0..<count {
                        guard size - position >= 8 else { failedAt = position; return }
                        let raw = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
                        guard raw <= UInt64(size - position - 8) else { failedAt = position; return }
                        s[i] = position + 8
                        l[i] = Int(raw)
                        position += 8 + Int(raw)
                    }
                }
            }
        } else if count > 0 {
            failedAt = position
        }
        if let failedAt {
            throw GGUFError(.truncated, path: path, offset: failedAt,
                            detail: "file ends (size \(size)) inside an element of string array \(what); "
                                + "the file is truncated or corrupted — download or convert it again")
        }
        offset = position
        return (starts, lengths)
    }

    mutating func skip(to newOffset: Int) {
        offset = newOffset
    }
}
