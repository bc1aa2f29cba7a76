/// IEEE half-precision helpers for the block scales stored in GGUF tensors.
///
/// Scales sit at arbitrary byte offsets inside packed blocks, so every load is unaligned.
enum Half {
    /// Reads the half-precision value at `offset` bytes from `base` and widens it.
    @inline(__always)
    static func load(_ base: UnsafeRawPointer, _ offset: Int = 0) -> Float {
        Float(Float16(bitPattern: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    /// Rounds a value through half precision, as ggml does when it stores activation scales.
    @inline(__always)
    static func round(_ value: Float) -> Float {
        Float(Float16(value))
    }
}
