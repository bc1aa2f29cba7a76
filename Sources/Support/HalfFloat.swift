/// IEEE-754 binary16 ("half") and bfloat16 conversions: the one place the package turns
/// 16-bit floats into `Float` and back.
///
/// Two kinds of entry point, for two needs:
/// - ``toFloat(_:)``, ``fromFloat(_:)`` and ``bf16ToFloat(_:)`` are written out with integer
///   operations, defined for every bit pattern (signalling NaNs keep their payload) and
///   available wherever the package builds, including Intel Macs, which have no `Float16`.
///   The reference dequantiser and file writers use them.
/// - ``load(_:_:)``, ``loadPair(_:_:)``, ``loadScale(_:_:)`` and ``round(_:)`` read the block
///   scales that sit at arbitrary (unaligned) offsets inside packed GGUF blocks, in the forms
///   the inference kernels' hot loops need; they use `Float16`, i.e. the F16C instruction.
///   They agree with ``toFloat(_:)`` on every non-NaN value.
///
/// Everything is `@inlinable`: the kernels are compiled for a newer CPU baseline than this
/// module and must get the conversion inlined under their own target settings.
public enum HalfFloat {
    /// The `Float` with the value of the IEEE-754 binary16 `bits` (exact; subnormals, infinities and NaN kept).
    @inlinable @inline(__always)
    public static func toFloat(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = Int(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x3FF)
        if exponent == 0 {
            // Zero or subnormal: value is mantissa × 2^-24, exactly representable in Float.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | (UInt32(exponent + 112) << 23) | (mantissa << 13))
    }

    /// The binary16 nearest to `value` (round to nearest even), for writing test files.
    @inlinable
    public static func fromFloat(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        if value.isNaN { return sign | 0x7E00 }
        let magnitude = abs(value)
        if magnitude >= 65520 { return sign | 0x7C00 }
        if magnitude < 0x1p-14 {
            // Subnormal range: quantise to multiples of 2^-24.
            let scaled = (magnitude * 0x1p24).rounded(.toNearestOrEven)
            return sign | UInt16(scaled)
        }
        let exponent = Int((bits >> 23) & 0xFF) - 127
        let mantissa = bits & 0x7F_FFFF
        var half = UInt32(exponent + 15) << 10 | (mantissa >> 13)
        let rest = mantissa & 0x1FFF
        if rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1) { half += 1 }
        return sign | UInt16(half)
    }

    /// The `Float` whose upper half is the bfloat16 `bits`.
    @inlinable @inline(__always)
    public static func bf16ToFloat(_ bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    #if !(os(macOS) && arch(x86_64))
    /// Reads the half-precision value at `offset` bytes from `base` and widens it.
    @inlinable @inline(__always)
    public static func load(_ base: UnsafeRawPointer, _ offset: Int = 0) -> Float {
        Float(Float16(bitPattern: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    /// The two consecutive halves at `base` (e.g. a Q4_1 block's `d` and `m`), read as one
    /// 32-bit load. Hot loops use this instead of `load`: LLVM folds a 16-bit load into
    /// `vpinsrw` on an arbitrary vector register, a false dependency that chained each block onto
    /// the previous block's accumulator (measured 1.3× slower on Q4_1 rows).
    @inlinable @inline(__always)
    public static func loadPair(_ base: UnsafeRawPointer, _ offset: Int = 0) -> (Float, Float) {
        let bits = base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        return (Float(Float16(bitPattern: UInt16(truncatingIfNeeded: bits))),
                Float(Float16(bitPattern: UInt16(truncatingIfNeeded: bits &>> 16))))
    }

    /// A lone scale for hot loops (`loadPair`'s problem; LLVM narrows a wider load whose upper
    /// half is unused back to `vpinsrw`): widened with integer operations instead of F16C. The
    /// exponent is rebased by adding 112 to its field, which is exact for normal halves; zero and
    /// subnormals (exponent field 0) get 113, i.e. 2⁻¹⁴·(1 + m/1024), and 2⁻¹⁴ is taken off
    /// again — exact too, and without denormal f32 intermediates, whose multiplication
    /// costs a microcode assist (Qwen's Q6_K scales are often subnormal: an earlier version that
    /// scaled a denormal by 2¹¹² made those rows several times slower). Infinities and NaNs
    /// (never valid scales) come out as large finite values.
    @inlinable @inline(__always)
    public static func loadScale(_ base: UnsafeRawPointer, _ offset: Int = 0) -> Float {
        let h = UInt32(base.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
        let subnormal = (h & 0x7C00) == 0
        let rebased = Float(bitPattern: ((h & 0x7FFF) &<< 13) &+ ((subnormal ? 113 : 112) &<< 23))
        let magnitude = rebased - Float(bitPattern: subnormal ? 0x3880_0000 : 0)  // 2⁻¹⁴ or 0
        return Float(bitPattern: magnitude.bitPattern | (h & 0x8000) &<< 16)
    }

    /// Rounds a value through half precision, as ggml does when it stores activation scales.
    @inlinable @inline(__always)
    public static func round(_ value: Float) -> Float {
        Float(Float16(value))
    }
    #endif
}
