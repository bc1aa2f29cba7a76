/// The packed weight encodings the kernels understand, numbered as ggml numbers them
/// (`enum ggml_type`), so a GGUF tensor type maps onto one by its raw value.
///
/// Block layouts (bytes, little-endian; learned from ggml's `ggml-common.h`):
/// - `q8_0`: 32 values; f16 scale `d`, 32 × int8. x = d·q.
/// - `q4_0`: 32 values; f16 `d`, 16 bytes of nibbles (low nibble = element j, high = j+16). x = d·(q−8).
/// - `q4_1`: 32 values; f16 `d`, f16 `m`, 16 bytes of nibbles as q4_0. x = d·q + m.
/// - `q4_K`: 256 values; f16 `d`, f16 `dmin`, 12 bytes of packed 6-bit scales and mins for 8
///   sub-blocks of 32, 128 bytes of nibbles (each 32-byte run holds two sub-blocks: low nibbles
///   the first, high nibbles the second). x = d·sc·q − dmin·m.
/// - `q6_K`: 256 values; 128 bytes of low nibbles, 64 bytes of high 2-bit pairs, 16 × int8 scales
///   (one per 16 values), f16 `d`. x = d·sc·(q−32).
public enum WeightFormat: UInt32, Sendable, CaseIterable {
    /// Plain 32-bit floats.
    case f32 = 0
    /// IEEE half floats.
    case f16 = 1
    /// 4-bit symmetric blocks of 32.
    case q4_0 = 2
    /// 4-bit blocks of 32 with scale and offset.
    case q4_1 = 3
    /// 8-bit symmetric blocks of 32.
    case q8_0 = 8
    /// 4-bit super-blocks of 256 with 6-bit sub-block scales and mins.
    case q4_K = 12
    /// 6-bit super-blocks of 256 with 8-bit scales per 16 values.
    case q6_K = 14

    /// Number of values in one block.
    public var blockValues: Int {
        switch self {
        case .f32, .f16: 1
        case .q4_0, .q4_1, .q8_0: 32
        case .q4_K, .q6_K: 256
        }
    }

    /// Bytes of one block.
    public var blockBytes: Int {
        switch self {
        case .f32: 4
        case .f16: 2
        case .q4_0: 18
        case .q4_1: 20
        case .q8_0: 34
        case .q4_K: 144
        case .q6_K: 210
        }
    }

    /// Bytes of a row of `count` values; `count` must be a multiple of `blockValues`.
    public func rowBytes(_ count: Int) -> Int {
        count / blockValues * blockBytes
    }

    /// Whether the fast dot products quantise activations in 256-value super-blocks (Q8_K)
    /// rather than 32-value blocks.
    var usesSuperBlocks: Bool {
        self == .q4_K || self == .q6_K
    }

    /// The 6-bit scale and min of sub-block `j` (0..<8) of a Q4_K super-block, unpacked from the
    /// 12 bytes at `packed`: the first four sub-blocks keep theirs in the low 6 bits of bytes
    /// 0–3 / 4–7; the last four borrow the top 2 bits of those bytes plus a nibble of bytes 8–11.
    @inline(__always)
    static func q4KScaleMin(_ packed: UnsafePointer<UInt8>, _ j: Int) -> (scale: UInt8, min: UInt8) {
        if j < 4 {
            return (packed[j] & 63, packed[j + 4] & 63)
        }
        let scale = (packed[j + 4] & 0x0F) | ((packed[j - 4] &>> 6) &<< 4)
        let min = (packed[j + 4] &>> 4) | ((packed[j] &>> 6) &<< 4)
        return (scale, min)
    }
}
