/// A weight matrix as stored in a GGUF file: `rows` packed rows of `columns` values each
/// (ggml's dims[0] = columns is the innermost), read in place from the memory mapping.
public struct PackedMatrix: @unchecked Sendable {
    // Safety: points into an immutable, memory-mapped file kept alive by the owning model.

    /// Start of the packed data.
    public let base: UnsafeRawPointer
    /// Encoding of the rows.
    public let format: WeightFormat
    /// Number of rows (output features).
    public let rows: Int
    /// Values per row (input features).
    public let columns: Int
    /// A row-interleaved copy of Q4_K weights (CLlamaKernels' `lk_q4k_interleave` layout, owned
    /// by the model), which the matrix products prefer; `base` stays valid for every other reader.
    public let interleaved: UnsafeRawPointer?

    /// Wraps packed data; `columns` must be a multiple of the format's block size.
    public init(base: UnsafeRawPointer, format: WeightFormat, rows: Int, columns: Int, interleaved: UnsafeRawPointer? = nil) {
        self.base = base
        self.format = format
        self.rows = rows
        self.columns = columns
        self.interleaved = interleaved
    }

    /// Bytes per row.
    public var rowBytes: Int { format.rowBytes(columns) }

    /// Start of row `r`.
    @inline(__always)
    public func row(_ r: Int) -> UnsafeRawPointer { base + r * rowBytes }

    /// Dequantises row `r` into `output` (`columns` floats) with the reference kernel.
    public func dequantiseRow(_ r: Int, into output: UnsafeMutablePointer<Float>) {
        ReferenceKernels.dequantise(row(r), format: format, count: columns, into: output)
    }
}
