/// The type tag of a GGUF metadata value (`gguf_type` in ggml's spec).
public enum GGUFValueType: UInt32, Sendable, CaseIterable {
    /// Fixed-size scalars (little-endian; bool is one byte, 0 or 1).
    case uint8 = 0, int8 = 1, uint16 = 2, int16 = 3, uint32 = 4, int32 = 5, float32 = 6, bool = 7
    /// Length-prefixed strings, typed arrays, and the 64-bit scalars added in version 2.
    case string = 8, array = 9, uint64 = 10, int64 = 11, float64 = 12

    /// The smallest number of bytes one value of this type can occupy; arrays and strings are
    /// at least their length prefixes. Used to reject absurd element counts before allocating.
    var minimumEncodedSize: Int {
        switch self {
        case .uint8, .int8, .bool: 1
        case .uint16, .int16: 2
        case .uint32, .int32, .float32: 4
        case .uint64, .int64, .float64, .string: 8
        case .array: 12
        }
    }
}

/// One metadata value, typed exactly as stored in the file.
public enum GGUFValue: Sendable, Equatable {
    /// Scalars, typed as stored.
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32)
    /// Scalars, typed as stored.
    case uint64(UInt64), int64(Int64), float32(Float), float64(Double), bool(Bool)
    /// A string.
    case string(String)
    /// An array.
    case array(GGUFArray)

    /// The stored type tag.
    public var type: GGUFValueType {
        switch self {
        case .uint8: .uint8
        case .int8: .int8
        case .uint16: .uint16
        case .int16: .int16
        case .uint32: .uint32
        case .int32: .int32
        case .uint64: .uint64
        case .int64: .int64
        case .float32: .float32
        case .float64: .float64
        case .bool: .bool
        case .string: .string
        case .array: .array
        }
    }

    /// Any integer value that fits in `Int`; writers disagree on integer widths for the same
    /// key (u32 vs i32 vs u64), so callers should not depend on the exact width.
    public var intValue: Int? {
        switch self {
        case .uint8(let v): Int(v)
        case .int8(let v): Int(v)
        case .uint16(let v): Int(v)
        case .int16(let v): Int(v)
        case .uint32(let v): Int(v)
        case .int32(let v): Int(v)
        case .uint64(let v): Int(exactly: v)
        case .int64(let v): Int(v)
        default: nil
        }
    }

    /// Any floating-point value, or an integer converted to floating point.
    public var doubleValue: Double? {
        switch self {
        case .float32(let v): Double(v)
        case .float64(let v): v
        default: intValue.map(Double.init)
        }
    }

    /// The value of a `bool`.
    public var boolValue: Bool? {
        if case .bool(let v) = self { return v }
        return nil
    }

    /// The value of a `string`.
    public var stringValue: String? {
        if case .string(let v) = self { return v }
        return nil
    }

    /// The value of an `array`.
    public var arrayValue: GGUFArray? {
        if case .array(let v) = self { return v }
        return nil
    }

    /// A short rendering for listings: arrays show their type and length, not their contents.
    public var summary: String {
        switch self {
        case .string(let s): return s.count > 80 ? String(s.prefix(77)) + "..." : s
        case .array(let a): return "[\(a.elementType) × \(a.count)]"
        case .bool(let b): return b ? "true" : "false"
        case .float32(let f): return "\(f)"
        case .float64(let f): return "\(f)"
        default: return intValue.map { "\($0)" } ?? "\(self)"
        }
    }
}

/// A homogeneous metadata array, stored with its element type so that large arrays (a 150k-entry
/// vocabulary) stay compact.
public enum GGUFArray: Sendable, Equatable {
    /// Scalar arrays, typed as stored.
    case uint8([UInt8]), int8([Int8]), uint16([UInt16]), int16([Int16]), uint32([UInt32]), int32([Int32])
    /// Scalar arrays, typed as stored.
    case uint64([UInt64]), int64([Int64]), float32([Float]), float64([Double]), bool([Bool])
    /// Strings, decoded lazily when read from a file.
    case string(GGUFStringArray)
    /// An array of arrays (allowed by the spec, rare in practice).
    case array([GGUFArray])

    /// The element type tag.
    public var elementType: GGUFValueType {
        switch self {
        case .uint8: .uint8
        case .int8: .int8
        case .uint16: .uint16
        case .int16: .int16
        case .uint32: .uint32
        case .int32: .int32
        case .uint64: .uint64
        case .int64: .int64
        case .float32: .float32
        case .float64: .float64
        case .bool: .bool
        case .string: .string
        case .array: .array
        }
    }

    /// The number of elements.
    public var count: Int {
        switch self {
        case .uint8(let a): a.count
        case .int8(let a): a.count
        case .uint16(let a): a.count
        case .int16(let a): a.count
        case .uint32(let a): a.count
        case .int32(let a): a.count
        case .uint64(let a): a.count
        case .int64(let a): a.count
        case .float32(let a): a.count
        case .float64(let a): a.count
        case .bool(let a): a.count
        case .string(let a): a.count
        case .array(let a): a.count
        }
    }

    /// The elements as `Int`s if this is an integer array whose values all fit.
    public var ints: [Int]? {
        switch self {
        case .uint8(let a): a.map(Int.init)
        case .int8(let a): a.map(Int.init)
        case .uint16(let a): a.map(Int.init)
        case .int16(let a): a.map(Int.init)
        case .uint32(let a): a.map(Int.init)
        case .int32(let a): a.map(Int.init)
        case .int64(let a): a.map(Int.init)
        case .uint64(let a):
            a.allSatisfy { $0 <= UInt64(Int.max) } ? a.map { Int($0) } : nil
        default: nil
        }
    }

    /// The elements as `Float`s if this is a floating-point array.
    public var floats: [Float]? {
        switch self {
        case .float32(let a): a
        case .float64(let a): a.map(Float.init)
        default: nil
        }
    }

    /// The elements if this is a string array.
    public var strings: [String]? {
        if case .string(let a) = self { return Array(a) }
        return nil
    }

    /// The lazily decoded string array, if this is one.
    public var stringArray: GGUFStringArray? {
        if case .string(let a) = self { return a }
        return nil
    }
}
