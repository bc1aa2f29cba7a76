import Support

/// A GGUF model file (versions 2 and 3), memory-mapped and parsed.
///
/// Opening parses the header, metadata and tensor infos and validates every tensor's extent
/// against the file size; tensor data is never copied — `tensorData` returns views into the
/// mapping, valid for as long as this object is alive.
public final class GGUFFile: Sendable {
    /// The alignment used when `general.alignment` is absent (ggml's `GGUF_DEFAULT_ALIGNMENT`).
    public static let defaultAlignment = 32
    /// The deepest nesting of arrays accepted, to bound recursion on hostile files.
    static let maxArrayNesting = 8
    /// ggml's `GGML_MAX_DIMS`.
    public static let maxDimensions = 4

    /// The path the file was opened from.
    public let path: String
    /// The format version from the header (2 or 3).
    public let version: UInt32
    /// All metadata, by key.
    public let metadata: [String: GGUFValue]
    /// The metadata keys in file order.
    public let metadataKeys: [String]
    /// The data-section alignment (`general.alignment`, default 32).
    public let alignment: Int
    /// The tensor infos in file order.
    public let tensors: [GGUFTensorInfo]
    /// The absolute offset of the data section.
    public let dataOffset: Int
    private let mapping: MappedFile
    private let tensorIndex: [String: Int]

    /// Maps and parses the file at `path`.
    public init(path: String) throws(GGUFError) {
        let mapping: MappedFile
        do {
            mapping = try MappedFile(path: path)
        } catch {
            throw GGUFError(.io, path: path, offset: nil, detail: error.detail)
        }
        self.mapping = mapping
        self.path = path
        var cursor = ByteCursor(bytes: mapping.bytes, path: path)

        let magic = try cursor.u32("magic")
        guard magic == 0x4655_4747 else {  // "GGUF" read as a little-endian u32
            throw GGUFError(.badMagic, path: path, offset: 0,
                            detail: "not a GGUF file (magic is 0x\(String(magic, radix: 16)), expected the bytes \"GGUF\")")
        }
        let version = try cursor.u32("version")
        guard version == 2 || version == 3 else {
            let hint = version.byteSwapped <= 3 ? " (this looks like a big-endian file, which is not supported)"
                : version == 1 ? " (version 1 predates 64-bit counts; re-convert with a current llama.cpp)" : ""
            throw GGUFError(.unsupportedVersion(version), path: path, offset: 4,
                            detail: "GGUF version \(version) is not supported; only versions 2 and 3 are\(hint)")
        }
        self.version = version
        let tensorCountOffset = cursor.offset
        let tensorCount = try cursor.count("tensor count")
        let kvCountOffset = cursor.offset
        let kvCount = try cursor.count("metadata count")
        // Each key/value takes at least 8 (key length) + 4 (type) + 1 bytes, each tensor info at
        // least 8 + 4 + 4 + 8: rejecting larger counts early avoids huge allocations.
        if kvCount > cursor.remaining / 13 {
            throw GGUFError(.truncated, path: path, offset: kvCountOffset,
                            detail: "metadata count \(kvCount) cannot fit in the \(cursor.remaining) remaining bytes; the file is truncated or corrupted")
        }
        if tensorCount > cursor.remaining / 24 {
            throw GGUFError(.truncated, path: path, offset: tensorCountOffset,
                            detail: "tensor count \(tensorCount) cannot fit in the \(cursor.remaining) remaining bytes; the file is truncated or corrupted")
        }

        var metadata: [String: GGUFValue] = [:]
        var keys: [String] = []
        keys.reserveCapacity(kvCount)
        for index in 0..<kvCount {
            let keyOffset = cursor.offset
            let key = try cursor.string("metadata key #\(index)")
            let typeOffset = cursor.offset
            let rawType = try cursor.u32("type of metadata \(key)")
            guard let type = GGUFValueType(rawValue: rawType) else {
                throw GGUFError(.corrupted, path: path, offset: typeOffset,
                                detail: "metadata \(key) has unknown value type \(rawType); the file is corrupted or from a newer format")
            }
            let value = try Self.readValue(type, cursor: &cursor, key: key, depth: 0, mapping: mapping)
            guard metadata.updateValue(value, forKey: key) == nil else {
                throw GGUFError(.corrupted, path: path, offset: keyOffset, detail: "metadata key \(key) appears twice")
            }
            keys.append(key)
        }
        self.metadata = metadata
        self.metadataKeys = keys

        var alignment = Self.defaultAlignment
        if let value = metadata["general.alignment"] {
            guard let a = value.intValue, a > 0, a & (a - 1) == 0 else {
                throw GGUFError(.corrupted, path: path, offset: nil,
                                detail: "general.alignment is \(value.summary); it must be a positive power of two")
            }
            alignment = a
        }
        self.alignment = alignment

        struct PendingInfo { let name: String; let type: GGMLType; let dims: [Int]; let count: Int; let size: Int; let relative: Int; let infoOffset: Int }
        var pending: [PendingInfo] = []
        pending.reserveCapacity(tensorCount)
        var index: [String: Int] = [:]
        for t in 0..<tensorCount {
            let infoOffset = cursor.offset
            let name = try cursor.string("name of tensor #\(t)")
            let dimsOffset = cursor.offset
            let dimCount = Int(try cursor.u32("dimension count of tensor \(name)"))
            guard (1...Self.maxDimensions).contains(dimCount) else {
                throw GGUFError(.corrupted, path: path, offset: dimsOffset,
                                detail: "tensor \(name) has \(dimCount) dimensions; ggml allows 1…\(Self.maxDimensions)")
            }
            var dims: [Int] = []
            var count = 1
            for d in 0..<dimCount {
                let extent = try cursor.count("dimension \(d) of tensor \(name)")
                let (product, overflow) = count.multipliedReportingOverflow(by: extent)
                guard !overflow else {
                    throw GGUFError(.corrupted, path: path, offset: dimsOffset, detail: "tensor \(name) has an element count that overflows")
                }
                count = product
                dims.append(extent)
            }
            let typeOffset = cursor.offset
            let rawType = try cursor.u32("type of tensor \(name)")
            guard let type = GGMLType(rawValue: rawType) else {
                throw GGUFError(.unknownTensorType(id: rawType, tensor: name), path: path, offset: typeOffset,
                                detail: "tensor \(name) has ggml type id \(rawType), which this reader does not know; use a file quantised with a supported type")
            }
            guard dims[0] % type.blockSize == 0, let size = type.byteSize(elementCount: count) else {
                throw GGUFError(.corrupted, path: path, offset: dimsOffset,
                                detail: "tensor \(name) of type \(type) has row length \(dims[0]), not a multiple of its block size \(type.blockSize)")
            }
            let relative = try cursor.count("data offset of tensor \(name)")
            guard relative % alignment == 0 else {
                throw GGUFError(.corrupted, path: path, offset: cursor.offset - 8,
                                detail: "tensor \(name) has data offset \(relative), not a multiple of the alignment \(alignment)")
            }
            guard index.updateValue(pending.count, forKey: name) == nil else {
                throw GGUFError(.corrupted, path: path, offset: infoOffset, detail: "tensor name \(name) appears twice")
            }
            pending.append(PendingInfo(name: name, type: type, dims: dims, count: count, size: size, relative: relative, infoOffset: infoOffset))
        }

        let headerEnd = cursor.offset
        let (padded, overflow) = headerEnd.addingReportingOverflow(alignment - 1)
        let dataOffset = overflow ? Int.max : padded / alignment * alignment
        self.dataOffset = dataOffset
        let fileSize = mapping.bytes.count
        var infos: [GGUFTensorInfo] = []
        infos.reserveCapacity(pending.count)
        for p in pending {
            let (start, o1) = dataOffset.addingReportingOverflow(p.relative)
            let (end, o2) = start.addingReportingOverflow(p.size)
            guard !o1, !o2, end <= fileSize else {
                throw GGUFError(.tensorDataOutsideFile(tensor: p.name), path: path, offset: p.infoOffset,
                                detail: "tensor \(p.name) (\(p.type), \(p.size) bytes) would end at byte \(o1 || o2 ? "overflow" : "\(end)") but the file has \(fileSize) bytes; the file is truncated")
            }
            infos.append(GGUFTensorInfo(name: p.name, type: p.type, dims: p.dims, elementCount: p.count,
                                        byteSize: p.size, offset: start, relativeOffset: p.relative))
        }
        self.tensors = infos
        self.tensorIndex = index
    }

    private static func readValue(_ type: GGUFValueType, cursor: inout ByteCursor, key: String, depth: Int, mapping: MappedFile) throws(GGUFError) -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try cursor.u8(key))
        case .int8: return .int8(Int8(bitPattern: try cursor.u8(key)))
        case .uint16: return .uint16(try cursor.scalar(UInt16.self, key))
        case .int16: return .int16(try cursor.scalar(Int16.self, key))
        case .uint32: return .uint32(try cursor.u32(key))
        case .int32: return .int32(try cursor.scalar(Int32.self, key))
        case .uint64: return .uint64(try cursor.u64(key))
        case .int64: return .int64(try cursor.scalar(Int64.self, key))
        case .float32: return .float32(Float(bitPattern: try cursor.u32(key)))
        case .float64: return .float64(Double(bitPattern: try cursor.u64(key)))
        case .bool: return .bool(try readBool(&cursor, key))
        case .string: return .string(try cursor.string(key))
        case .array: return .array(try readArray(cursor: &cursor, key: key, depth: depth + 1, mapping: mapping))
        }
    }

    private static func readBool(_ cursor: inout ByteCursor, _ key: String) throws(GGUFError) -> Bool {
        let at = cursor.offset
        let byte = try cursor.u8(key)
        guard byte <= 1 else {
            throw GGUFError(.corrupted, path: cursor.path, offset: at, detail: "bool \(key) has byte value \(byte); only 0 and 1 are valid")
        }
        return byte == 1
    }

    private static func readArray(cursor: inout ByteCursor, key: String, depth: Int, mapping: MappedFile) throws(GGUFError) -> GGUFArray {
        let start = cursor.offset
        guard depth <= maxArrayNesting else {
            throw GGUFError(.corrupted, path: cursor.path, offset: start, detail: "metadata \(key) nests arrays deeper than \(maxArrayNesting)")
        }
        let rawType = try cursor.u32("element type of \(key)")
        guard let type = GGUFValueType(rawValue: rawType) else {
            throw GGUFError(.corrupted, path: cursor.path, offset: start, detail: "array \(key) has unknown element type \(rawType)")
        }
        let count = try cursor.count("length of array \(key)")
        if count > cursor.remaining / type.minimumEncodedSize {
            throw GGUFError(.truncated, path: cursor.path, offset: start,
                            detail: "array \(key) claims \(count) elements of type \(type), more than the \(cursor.remaining) remaining bytes can hold; the file is truncated or corrupted")
        }
        switch type {
        case .uint8: return .uint8(try cursor.scalars(UInt8.self, count: count, key))
        case .int8: return .int8(try cursor.scalars(Int8.self, count: count, key))
        case .uint16: return .uint16(try cursor.scalars(UInt16.self, count: count, key))
        case .int16: return .int16(try cursor.scalars(Int16.self, count: count, key))
        case .uint32: return .uint32(try cursor.scalars(UInt32.self, count: count, key))
        case .int32: return .int32(try cursor.scalars(Int32.self, count: count, key))
        case .uint64: return .uint64(try cursor.scalars(UInt64.self, count: count, key))
        case .int64: return .int64(try cursor.scalars(Int64.self, count: count, key))
        case .float32: return .float32(try cursor.scalars(UInt32.self, count: count, key).map(Float.init(bitPattern:)))
        case .float64: return .float64(try cursor.scalars(UInt64.self, count: count, key).map(Double.init(bitPattern:)))
        case .bool:
            var values: [Bool] = []
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try readBool(&cursor, key)) }
            return .bool(values)
        case .string:
            let spans = try cursor.stringSpans(count: count, key)
            return .string(GGUFStringArray(mapping: mapping, starts: spans.starts, lengths: spans.lengths))
        case .array:
            var values: [GGUFArray] = []
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try readArray(cursor: &cursor, key: key, depth: depth + 1, mapping: mapping)) }
            return .array(values)
        }
    }

    // MARK: - Tensors

    /// The size of the file in bytes.
    public var fileSize: Int { mapping.bytes.count }

    /// The whole mapped file, for callers that index it themselves. Valid while `self` lives.
    public var bytes: UnsafeRawBufferPointer { mapping.bytes }

    /// The info of the tensor called `name`, if present.
    public func tensor(_ name: String) -> GGUFTensorInfo? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// The raw bytes of `tensor` inside the mapping (validated at open). Valid while `self` lives.
    /// An info that does not fit this file (taken from another file) yields an empty buffer.
    public func tensorData(_ tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        guard tensor.offset >= 0, tensor.byteSize >= 0, tensor.offset <= mapping.bytes.count - tensor.byteSize else {
            return UnsafeRawBufferPointer(start: nil, count: 0)
        }
        return UnsafeRawBufferPointer(rebasing: mapping.bytes[tensor.offset..<(tensor.offset + tensor.byteSize)])
    }

    /// The raw bytes of the tensor called `name`. Valid while `self` lives.
    public func tensorData(_ name: String) throws(GGUFError) -> UnsafeRawBufferPointer {
        guard let info = tensor(name) else {
            throw GGUFError(.noSuchTensor(name), path: path, offset: nil,
                            detail: "no tensor named \(name) (the file has \(tensors.count) tensors; see `atcfix model info`)")
        }
        return tensorData(info)
    }

    /// The tensor called `name`, dequantised to `Float` with the reference dequantiser.
    public func dequantizedTensor(_ name: String) throws(GGUFError) -> [Float] {
        guard let info = tensor(name) else { _ = try tensorData(name); return [] }
        do {
            return try Dequantizer.dequantize(type: info.type, data: tensorData(info), count: info.elementCount)
        } catch {
            throw GGUFError(error.kind, path: path, offset: info.offset, detail: "tensor \(name): \(error.detail)")
        }
    }

    /// Row `row` of `tensor` (a `dims[0]`-element row, e.g. one token's embedding), dequantised.
    public func dequantizedRow(_ tensor: GGUFTensorInfo, row: Int) throws(GGUFError) -> [Float] {
        guard row >= 0, row < tensor.rowCount else {
            throw GGUFError(.corrupted, path: path, offset: nil,
                            detail: "row \(row) is outside tensor \(tensor.name), which has \(tensor.rowCount) rows")
        }
        let data = tensorData(tensor)
        let start = row * tensor.rowByteSize
        guard start + tensor.rowByteSize <= data.count else {
            throw GGUFError(.tensorDataOutsideFile(tensor: tensor.name), path: path, offset: tensor.offset, detail: "tensor \(tensor.name) does not belong to this file")
        }
        do {
            return try Dequantizer.dequantize(type: tensor.type, data: UnsafeRawBufferPointer(rebasing: data[start..<(start + tensor.rowByteSize)]),
                                              count: tensor.dims[0])
        } catch {
            throw GGUFError(error.kind, path: path, offset: tensor.offset + start, detail: "tensor \(tensor.name) row \(row): \(error.detail)")
        }
    }

    // MARK: - Metadata

    /// The value stored under `key`, exactly typed.
    public func value(_ key: String) -> GGUFValue? { metadata[key] }

    /// A string value.
    public func string(_ key: String) -> String? { metadata[key]?.stringValue }

    /// An integer value of any width, if it fits in `Int`.
    public func int(_ key: String) -> Int? { metadata[key]?.intValue }

    /// A floating-point value (integers are converted).
    public func float(_ key: String) -> Float? { metadata[key]?.doubleValue.map(Float.init) }

    /// A floating-point value as `Double` (integers are converted).
    public func double(_ key: String) -> Double? { metadata[key]?.doubleValue }

    /// A boolean value.
    public func bool(_ key: String) -> Bool? { metadata[key]?.boolValue }

    /// An array value of any element type.
    public func array(_ key: String) -> GGUFArray? { metadata[key]?.arrayValue }

    /// A string array, decoded.
    public func stringArray(_ key: String) -> [String]? { array(key)?.strings }

    /// A string array without decoding its elements (vocabularies), with access to the raw bytes.
    public func lazyStringArray(_ key: String) -> GGUFStringArray? { array(key)?.stringArray }

    /// An integer array of any width.
    public func intArray(_ key: String) -> [Int]? { array(key)?.ints }

    /// A floating-point array.
    public func floatArray(_ key: String) -> [Float]? { array(key)?.floats }

    /// `general.architecture`, e.g. `llama` or `qwen2`.
    public var architecture: String? { string("general.architecture") }

    /// An architecture-scoped hyper-parameter: `hyperparameter("context_length")` reads
    /// `<arch>.context_length`.
    public func hyperparameter(_ suffix: String) -> GGUFValue? {
        guard let architecture else { return nil }
        return metadata["\(architecture).\(suffix)"]
    }

    /// Like `string(_:)` but throws a `.metadata` error naming the key when it is missing or not a string.
    public func requireString(_ key: String) throws(GGUFError) -> String {
        guard let v = string(key) else { throw missing(key, "a string") }
        return v
    }

    /// Like `int(_:)` but throws a `.metadata` error naming the key when it is missing or not an integer.
    public func requireInt(_ key: String) throws(GGUFError) -> Int {
        guard let v = int(key) else { throw missing(key, "an integer") }
        return v
    }

    /// Like `float(_:)` but throws a `.metadata` error naming the key when missing or not numeric.
    public func requireFloat(_ key: String) throws(GGUFError) -> Float {
        guard let v = float(key) else { throw missing(key, "a number") }
        return v
    }

    /// Like `stringArray(_:)` but throws a `.metadata` error naming the key.
    public func requireStringArray(_ key: String) throws(GGUFError) -> [String] {
        guard let v = stringArray(key) else { throw missing(key, "a string array") }
        return v
    }

    private func missing(_ key: String, _ expected: String) -> GGUFError {
        let found = metadata[key].map { "is \($0.type)" } ?? "is missing"
        return GGUFError(.metadata(key: key), path: path, offset: nil,
                         detail: "metadata \(key) \(found); expected \(expected) — the file may be for a different model family or converted by an old tool")
    }
}
