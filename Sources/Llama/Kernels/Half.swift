/// IEEE half-precision helpers for the block scales stored in GGUF tensors.
///
/// Scales sit at arbitrary byte offsets inside packed blocks, so every load is unaligned.
enum Half {
    /// Reads the half-precision value at `offset` bytes from `base` and widens it.
    @inline(__always)
    static func load(_ base: UnsafeRawPointer, _ offset: Int = 0) -> Float {
        Float(Float16(bitPattern: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    /// The two consecutive halves at `base` (e.g. a Q4_1 block's `d` and `m`), read as one
    /// 32-bit load. Hot loops use this instead of `load`: LLVM folds a 16-bit load into
    /// `vpinsrw` on an arbitrary vector register, a false dependency that chained each block onto
    /// the previous block's accumulator (measured 1.3× slower on Q4_1 rows).
    @inline(__always)
    static func loadPair(_ base: UnsafeRawPointer, _ offset: Int = 0) -> (Float, Float) {
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
    @inline(__always)
    static func loadScale(_ base: UnsafeRawPointer, _ offset: Int = 0) -> Float {
        let h = UInt32(base.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
        let subnormal = (h & 0x7C00) == 0
        let rebased = Float(bitPattern: ((h & 0x7FFF) &<< 13) &+ ((subnormal ? 113 : 112) &<< 23))
        let magnitude = rebased - Float(bitPattern: subnormal ? 0x3880_0000 : 0)  // 2⁻¹⁴ or 0
        return Float(bitPattern: magnitude.bitPattern | (h & 0x8000) &<< 16)
    }

    /// Rounds a value through half precision, as ggml does when it stores activation scales.
    @inline(__always)
    static func round(_ value: Float) -> Float {
        Float(Float16(value))
    }
}
