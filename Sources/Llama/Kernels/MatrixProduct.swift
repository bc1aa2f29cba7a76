import CBLAS
import CLlamaKernels
import Support

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
        activations.prepare(for: w.format, pool: pool)
        nonisolated(unsafe) let out = output
        pool.forEachRange(w.rows, granularity: 16) { range in
            QuantisedDot.withScratch(activations) { scratch in
                product(w, rows: range, activations, into: out + range.lowerBound, outputStride: outputStride, scratch: scratch)
            }
        }
    }

    /// Rows `rows` of `w` times every activation row, on the calling thread:
    /// `output[t·outputStride + i] = W[rows.lowerBound + i] · a[t]`. `scratch` as for
    /// `QuantisedDot.dot`.
    @inline(__always)
    static func product(
        _ w: PackedMatrix, rows: Range<Int>, _ activations: QuantisedActivations,
        into output: UnsafeMutablePointer<Float>, outputStride: Int, scratch: UnsafeMutableRawPointer
    ) {
        guard !rows.isEmpty else { return }
        let tokens = activations.rows
        if let tiles = w.interleaved, rows.lowerBound % 16 == 0, rows.count % 16 == 0 {
            let supers = activations.superBlocksPerRow
            precondition(supers * 256 == activations.width, "K-quant rows are whole super-blocks")
            let kernel = w.format == .q4_K ? lk_q4k_q8k_interleaved : lk_q6k_q8k_interleaved
            kernel(tiles + rows.lowerBound * w.rowBytes, rows.count, activations.superValues,
                   activations.superScale, activations.groupSum, supers, tokens, output, outputStride)
            return
        }
        if w.format.usesSuperBlocks {
            QuantisedDot.kQuantProduct(w.row(rows.lowerBound), format: w.format, rowBytes: w.rowBytes, rows: rows.count,
                                       activations, tokens: 0..<tokens, into: output, outputStride: outputStride)
            return
        }
        for r in rows {
            let row = w.row(r)
            QuantisedDot.unpack(row, format: w.format, width: w.columns, into: scratch)
            for t in 0..<tokens {
                output[t * outputStride + r - rows.lowerBound] = QuantisedDot.dotUnpacked(row, format: w.format, activations, row: t, scratch: scratch)
            }
        }
    }

    /// Two or three products on the same activations in one dispatch (Q/K/V, gate/up): fewer
    /// wake-ups of the worker threads per token. Each output has its matrix's row count as stride.
    public static func multiplyFused(
        _ a: (PackedMatrix, UnsafeMutablePointer<Float>), _ b: (PackedMatrix, UnsafeMutablePointer<Float>),
        _ c: (PackedMatrix, UnsafeMutablePointer<Float>)? = nil,
        activations: QuantisedActivations, pool: WorkerPool
    ) {
        activations.prepare(for: a.0.format, pool: pool)
        activations.prepare(for: b.0.format, pool: pool)
        if let c { activations.prepare(for: c.0.format, pool: pool) }
        let firstB = a.0.rows, firstC = a.0.rows + b.0.rows
        let total = firstC + (c?.0.rows ?? 0)
        nonisolated(unsafe) let outs = (a.1, b.1, c?.1)
        let third = c?.0
        pool.forEachRange(total, granularity: 16) { range in
            QuantisedDot.withScratch(activations) { scratch in
                // The range may span two matrices: one product per matrix it touches.
                var index = range.lowerBound
                while index < range.upperBound {
                    let (w, out, start): (PackedMatrix, UnsafeMutablePointer<Float>, Int) =
                        index < firstB ? (a.0, outs.0, 0) : index < firstC ? (b.0, outs.1, firstB) : (third!, outs.2!, firstC)
                    let end = min(range.upperBound, start + w.rows)
                    let rows = (index - start)..<(end - start)
                    product(w, rows: rows, activations, into: out + rows.lowerBound, outputStride: w.rows, scratch: scratch)
                    index = end
                }
            }
        }
    }

    /// SwiGLU's gate and up products and the activation in one dispatch: each chunk of rows
    /// computes its gate and up rows for every token and stores `SiLU(gate)·up` into `output`
    /// (stride `gate.rows`), so the activation's `exp`s are split across the threads as well.
    public static func multiplySwiGLU(
        gate: PackedMatrix, up: PackedMatrix, _ activations: QuantisedActivations,
        into output: UnsafeMutablePointer<Float>, pool: WorkerPool
    ) {
        precondition(gate.rows == up.rows && activations.width == gate.columns && activations.width == up.columns)
        activations.prepare(for: gate.format, pool: pool)
        activations.prepare(for: up.format, pool: pool)
        let tokens = activations.rows, width = gate.rows
        let tile = 16
        nonisolated(unsafe) let out = output
        if !gate.format.usesSuperBlocks || !up.format.usesSuperBlocks {
            // 32-value formats: gate and up row by row (measured ~4% faster on SmolLM2 decoding
            // than the tiles below, which suit the C K-quant kernels' multi-row calls).
            pool.forEachRange(width, granularity: 16) { range in
                QuantisedDot.withScratch(activations) { scratch in
                    for r in range {
                        let g = gate.row(r), u = up.row(r)
                        for t in 0..<tokens {
                            out[t * width + r] = VectorOps.swiglu(
                                QuantisedDot.dot(g, format: gate.format, activations, row: t, scratch: scratch),
                                QuantisedDot.dot(u, format: up.format, activations, row: t, scratch: scratch))
                        }
                    }
                }
            }
            return
        }
        pool.forEachRange(width, granularity: tile) { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: tile * tokens) { upValues in
                let ups = upValues.baseAddress!
                QuantisedDot.withScratch(activations) { scratch in
                    // Tiles of rows: the gate values go straight into `output`, the up values
                    // into a small buffer, then the activation combines them.
                    var r0 = range.lowerBound
                    while r0 < range.upperBound {
                        let rows = r0..<min(r0 + tile, range.upperBound)
                        product(gate, rows: rows, activations, into: out + r0, outputStride: width, scratch: scratch)
                        product(up, rows: rows, activations, into: ups, outputStride: tile, scratch: scratch)
                        for t in 0..<tokens {
                            VectorOps.swiglu(out + t * width + r0, ups + t * tile, rows.count)
                        }
                        r0 = rows.upperBound
                    }
                }
            }
        }
    }

    /// The same product through OpenBLAS on the activations' 8-bit round trip (so it rounds
    /// like `multiply`): weight tiles are dequantised to f32 and multiplied with `cblas_sgemm`.
    public static func multiplyBLAS(
        _ w: PackedMatrix, _ activations: QuantisedActivations,
        into output: UnsafeMutablePointer<Float>, outputStride: Int,
        scratch: UnsafeMutablePointer<Float>, tileRows: Int, pool: WorkerPool
    ) {
        precondition(activations.width == w.columns)
        multiplyBLAS(w, activations.roundTripped(for: w.format), tokens: activations.rows, into: output,
                     outputStride: outputStride, scratch: scratch, tileRows: tileRows, pool: pool)
        if w.format == .q4_1 { correctQ4_1Offsets(w, activations, into: output, outputStride: outputStride, pool: pool) }
    }

    /// The integer Q4_1 kernel (like ggml's) multiplies each block's offset `m` by the block's
    /// `d·Σq` rounded through f16, not by the exact `Σ d·q` that sgemm sees. With SmolLM2's
    /// outlier activations (values in the thousands) that rounding moves outputs by ~0.5 and,
    /// amplified over 30 layers, flips tokens. Adding `Σ_b m_b·(rounded_b − exact_b)` makes the
    /// sgemm path agree with the integer path (and llama.cpp) to f32 rounding; it costs 1/32 of
    /// the product.
    private static func correctQ4_1Offsets(
        _ w: PackedMatrix, _ a: QuantisedActivations, into output: UnsafeMutablePointer<Float>,
        outputStride: Int, pool: WorkerPool
    ) {
        let blocks = w.columns / 32, tokens = a.rows
        // Δ[t][b] = rounded − exact offset sum, once per call.
        let deltas = a.offsetRoundingDeltas()
        nonisolated(unsafe) let out = output
        pool.forEachRange(w.rows, granularity: 16) { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: blocks) { offsets in
                let m = offsets.baseAddress!
                for r in range {
                    let row = w.row(r)
                    for b in 0..<blocks { m[b] = HalfFloat.load(row + 20 * b, 2) }
                    for t in 0..<tokens {
                        out[t * outputStride + r] += VectorOps.dot(m, deltas + t * blocks, blocks)
                    }
                }
            }
        }
    }

    /// The product through OpenBLAS on f32 activations: weight tiles are dequantised to f32 and
    /// multiplied with `cblas_sgemm`. `scratch` must hold `tileRows * columns` floats per thread.
    public static func multiplyBLAS(
        _ w: PackedMatrix, _ x: UnsafePointer<Float>, tokens: Int,
        into output: UnsafeMutablePointer<Float>, outputStride: Int,
        scratch: UnsafeMutablePointer<Float>, tileRows: Int, pool: WorkerPool
    ) {
        nonisolated(unsafe) let out = output
        nonisolated(unsafe) let input = x
        nonisolated(unsafe) let tiles = scratch
        let columns = w.columns
        let units = (w.rows + tileRows - 1) / tileRows
        pool.forEachChunk(units) { worker, range in
            let tile = tiles + worker * tileRows * columns
            for unit in range {
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
    /// Dequantises row `r` for sgemm tiles and embedding lookups: the same values as the
    /// reference, with the Q6_K loop restructured (no per-value index arithmetic), which made
    /// it 4× faster; tests compare both.
    @inline(__always)
    func dequantiseRowFast(_ r: Int, into output: UnsafeMutablePointer<Float>) {
        guard format == .q6_K else {
            ReferenceKernels.dequantise(row(r), format: format, count: columns, into: output)
            return
        }
        let base = row(r)
        for s in 0..<(columns / 256) {
            let block = base + 210 * s
            let d = HalfFloat.load(block, 208)
            let scales = (block + 192).assumingMemoryBound(to: Int8.self)
            for half in 0..<2 {
                let low = (block + 64 * half).assumingMemoryBound(to: UInt8.self)
                let high = (block + 128 + 32 * half).assumingMemoryBound(to: UInt8.self)
                let out = output + 256 * s + 128 * half
                let sc = scales + 8 * half
                for l in 0..<32 {
                    let g = l / 16
                    let h = high[l]
                    out[l] = d * Float(sc[g]) * Float(Int32((low[l] & 0x0F) | ((h & 3) << 4)) - 32)
                    out[l + 32] = d * Float(sc[g + 2]) * Float(Int32((low[l + 32] & 0x0F) | (((h >> 2) & 3) << 4)) - 32)
                    out[l + 64] = d * Float(sc[g + 4]) * Float(Int32((low[l] >> 4) | (((h >> 4) & 3) << 4)) - 32)
                    out[l + 96] = d * Float(sc[g + 6]) * Float(Int32((low[l + 32] >> 4) | (((h >> 6) & 3) << 4)) - 32)
                }
            }
        }
    }
}
