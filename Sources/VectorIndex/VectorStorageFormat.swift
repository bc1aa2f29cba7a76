/// The element type vectors are stored in. Queries are always f32.
public enum VectorStorageFormat: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// 32-bit IEEE floats: exact, 4 bytes per dimension.
    case float32 = 1
    /// 16-bit IEEE floats: half the memory; distances differ from f32 by the rounding of the
    /// stored values (relative error about 2⁻¹¹ per element), which barely moves recall for
    /// normalised embeddings.
    case float16 = 2

    /// Bytes per stored element.
    public var bytesPerElement: Int { self == .float32 ? 4 : 2 }

    /// The name used in files, the CLI and diagnostics.
    public var description: String { self == .float32 ? "f32" : "f16" }
}
