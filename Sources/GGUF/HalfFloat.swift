/// IEEE half and bfloat16 conversions, written out by hand because `Float16` is not available
/// on every platform the package declares (macOS on Intel).
public enum HalfFloat {
    /// The `Float` with the value of the IEEE-754 binary16 `bits` (exact; subnormals, infinities and NaN kept).
    @inline(__always)
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
    @inline(__always)
    public static func bf16ToFloat(_ bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }
}
