#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds GGUF (version 3) files: used for test fixtures, synthetic benchmark files and tools
/// that rewrite metadata. Tensor data is laid out in insertion order, each aligned.
public struct GGUFWriter: Sendable {
    /// One tensor to be written.
    public struct Tensor: Sendable {
        /// The tensor's name.
        public var name: String
        /// The element type.
        public var type: GGMLType
        /// The extents, `dims[0]` innermost.
        public var dims: [Int]
        /// The raw block bytes; must be exactly the type's byte size for `dims`.
        public var data: [UInt8]

        /// Creates a tensor description.
        public init(name: String, type: GGMLType, dims: [Int], data: [UInt8]) {
            self.name = name
            self.type = type
            self.dims = dims
            self.data = data
        }
    }

    /// The metadata in the order it will be written.
    public var metadata: [(key: String, value: GGUFValue)] = []
    /// The tensors in the order they will be written.
    public var tensors: [Tensor] = []
    /// The data alignment; written as `general.alignment` when it differs from 32.
    public var alignment: Int = GGUFFile.defaultAlignment
    /// The version number written into the header (tests use other values to exercise errors).
    public var version: UInt32 = 3

    /// Creates an empty writer.
    public init() {}

    /// Appends a metadata entry.
    public mutating func set(_ key: String, _ value: GGUFValue) {
        metadata.append((key, value))
    }

    /// Appends a tensor.
    public mutating func add(_ tensor: Tensor) {
        tensors.append(tensor)
    }

    /// The header, metadata, tensor infos and padding up to the data section.
    public func headerBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: Array("GGUF".utf8))
        Self.put(version, &out)
        Self.put(UInt64(tensors.count), &out)
        var entries = metadata
        if alignment != GGUFFile.defaultAlignment, !entries.contains(where: { $0.key == "general.alignment" }) {
            entries.insert(("general.alignment", .uint32(UInt32(alignment))), at: 0)
        }
        Self.put(UInt64(entries.count), &out)
        for (key, value) in entries {
            Self.putString(key, &out)
            Self.put(value.type.rawValue, &out)
            Self.putValue(value, &out)
        }
        var relative = 0
        for tensor in tensors {
            Self.putString(tensor.name, &out)
            Self.put(UInt32(tensor.dims.count), &out)
            for d in tensor.dims { Self.put(UInt64(d), &out) }
            Self.put(tensor.type.rawValue, &out)
            Self.put(UInt64(relative), &out)
            relative = Self.aligned(relative + tensor.data.count, alignment)
        }
        out.append(contentsOf: [UInt8](repeating: 0, count: Self.aligned(out.count, alignment) - out.count))
        return out
    }

    /// The complete file.
    public func bytes() -> [UInt8] {
        var out = headerBytes()
        for tensor in tensors {
            out.append(contentsOf: tensor.data)
            out.append(contentsOf: [UInt8](repeating: 0, count: Self.aligned(out.count, alignment) - out.count))
        }
        return out
    }

    /// Writes the file atomically: a temporary sibling is written, synced and renamed over `path`.
    public func write(to path: String) throws(GGUFError) {
        try Self.atomicWrite(bytes(), to: path)
    }

    /// Writes `bytes` to `path` via a synced temporary file and a rename, so that readers never
    /// see a half-written file.
    public static func atomicWrite(_ bytes: [UInt8], to path: String) throws(GGUFError) {
        let temporary = path + ".tmp.\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw GGUFError(.io, path: temporary, offset: nil, detail: "cannot create: \(String(cString: strerror(errno)))")
        }
        var written = 0
        let ok = bytes.withUnsafeBytes { raw -> Bool in
            while written < raw.count {
                let n = Glibc_write(fd, raw.baseAddress! + written, raw.count - written)
                if n <= 0 { return false }
                written += n
            }
            return fsync(fd) == 0
        }
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw GGUFError(.io, path: path, offset: written, detail: "cannot write: \(reason)")
        }
    }

    static func aligned(_ value: Int, _ alignment: Int) -> Int {
        (value + alignment - 1) / alignment * alignment
    }

    static func put<T: FixedWidthInteger>(_ value: T, _ out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    static func putString(_ string: String, _ out: inout [UInt8]) {
        put(UInt64(string.utf8.count), &out)
        out.append(contentsOf: string.utf8)
    }

    static func putValue(_ value: GGUFValue, _ out: inout [UInt8]) {
        switch value {
        case .uint8(let v): put(v, &out)
        case .int8(let v): put(v, &out)
        case .uint16(let v): put(v, &out)
        case .int16(let v): put(v, &out)
        case .uint32(let v): put(v, &out)
        case .int32(let v): put(v, &out)
        case .uint64(let v): put(v, &out)
        case .int64(let v): put(v, &out)
        case .float32(let v): put(v.bitPattern, &out)
        case .float64(let v): put(v.bitPattern, &out)
        case .bool(let v): out.append(v ? 1 : 0)
        case .string(let v): putString(v, &out)
        case .array(let a): putArray(a, &out)
        }
    }

    static func putArray(_ array: GGUFArray, _ out: inout [UInt8]) {
        put(array.elementType.rawValue, &out)
        put(UInt64(array.count), &out)
        switch array {
        case .uint8(let a): a.forEach { put($0, &out) }
        case .int8(let a): a.forEach { put($0, &out) }
        case .uint16(let a): a.forEach { put($0, &out) }
        case .int16(let a): a.forEach { put($0, &out) }
        case .uint32(let a): a.forEach { put($0, &out) }
        case .int32(let a): a.forEach { put($0, &out) }
        case .uint64(let a): a.forEach { put($0, &out) }
        case .int64(let a): a.forEach { put($0, &out) }
        case .float32(let a): a.forEach { put($0.bitPattern, &out) }
        case .float64(let a): a.forEach { put($0.bitPattern, &out) }
        case .bool(let a): a.forEach { out.append($0 ? 1 : 0) }
        case .string(let a): a.forEach { putString($0, &out) }
        case .array(let a): a.forEach { putArray($0, &out) }
        }
    }
}

#if canImport(Glibc)
private let Glibc_write = Glibc.write
#else
private let Glibc_write = Darwin.write
#endif
