import CBLAS

/// Matrix products of packed weights with activations, rows split across a `WorkerPool`.
public enum MatrixProduct {
    /// `output[t][r] = W[r] · x[t]` for every activation row t of `activations` (quantised
    /// integer dot products), writing `output` row-major with a stride of `outputStride` floats.
    ///
    /// For a batch, each weight row is read once and dotted with every token while it is hot in
    /// cache, which is what makes the integer path competitive with sgemm on prompts.
    public static func multiply(
        _ w: PackedMatrix, _ activations: QuantisedActivations,
        into output: UnsafeMutablePointer<Float>, outputStride: Int, pool: WorkerPool
    ) {
        precondition(activations.width == w.columns)
        activations.prepare(for: w.format)
        let tokens = activations.rows
        nonisolated(unsafe) let out = output
        pool.forEachRange(w.rows, granularity: 16) { range in
            for r in range {
                let row = w.row(r)
                for t in 0..<tokens {
                    out[t * outputStride + r] = QuantisedDot.dot(row, format: w.format, activations, row: t)
                }
            }
        }
    }

    /// The same product through OpenBLAS: weight tiles are dequantised to f32 and multiplied
    /// with `cblas_sgemm`. `scratch` must hold `tileRows * columns` floats per thread.
    public static func multiplyBLAS(
        _ w: PackedMatrix, _ x: UnsafePointer<Float>, tokens: Int,
        into output: UnsafeMutablePointer<Float>, outputStride: Int,
        scratch: UnsafeMutablePointer<Float>, tileRows: Int, pool: WorkerPool
    ) {
        nonisolated(unsafe) let out = output
        nonisolated(unsafe) let input = x
        nonisolated(unsafe) let tiles = scratch
        let columns = w.columns
        pool.run { worker in
            let parts = pool.threadCount
            let tile = tiles + worker * tileRows * columns
            let units = (w.rows + tileRows - 1) / tileRows
            let lo = units * worker / parts, hi = units * (worker + 1) / parts
            for unit in lo..<hi {
                let first = unit * tileRows
                let count = min(tileRows, w.rows - first)
                for r in 0..<count { w.dequantiseRowFast(first + r, into: tile + r * columns) }
                // out[t][first..] = x[t] · tileᵀ  (tokens × count)
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasTrans,
                    Int32(tokens), Int32(count), Int32(columns),
                    1, input, Int32(columns), tile, Int32(columns),
                    0, out + first, Int32(outputStride))
            }
        }
    }

    /// Reference: dequantise every row and take f32 dot products, one thread.
    public static func multiplyReference(
        _ w: PackedMatrix, _ x: UnsafePointer<Float>, tokens: Int,
        into output: UnsafeMutablePointer<Float>, outputStride: Int
    ) {
        for t in 0..<tokens {
            for r in 0..<w.rows {
                output[t * outputStride + r] = ReferenceKernels.dot(
                    w.row(r), format: w.format, x + t * w.columns, count: w.columns)
            }
        }
    }
}

extension PackedMatrix {
    /// Dequantises row `r` (used for sgemm tiles and embedding lookups). Same results as the
    /// reference; kept separate so it can be specialised without touching the reference.
    @inline(__always)
    func dequantiseRowFast(_ r: Int, into output: UnsafeMutablePointer<Float>) {
        ReferenceKernels.dequantise(row(r), format: format, count: columns, into: output)
    }
}
