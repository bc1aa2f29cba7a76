/// Where one tensor lives in a GGUF file and how it is shaped.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// The tensor's name, e.g. `blk.0.attn_q.weight`.
    public let name: String
    /// The element type.
    public let type: GGMLType
    /// The extents, `dims[0]` innermost (contiguous), as ggml stores them: a `[n_embd, n_vocab]`
    /// matrix has rows of `n_embd` elements.
    public let dims: [Int]
    /// The product of `dims`.
    public let elementCount: Int
    /// The bytes the data occupies (`elementCount / blockSize * bytesPerBlock`).
    public let byteSize: Int
    /// The absolute byte offset of the data in the file.
    public let offset: Int
    /// The offset relative to the start of the data section, as stored in the file.
    public let relativeOffset: Int

    /// The number of rows when viewed as a matrix of `dims[0]`-element rows.
    public var rowCount: Int { dims.isEmpty ? 0 : elementCount / max(dims[0], 1) }
}
