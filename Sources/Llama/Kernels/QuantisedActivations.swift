import CLlamaKernels
import Support

/// Activation vectors quantised to 8 bits for the integer dot products, in preallocated
/// buffers reused for every token (nothing is allocated on the decoding path).
///
/// Two flavours, each computed on demand because one layer can mix weight formats:
/// - 32-value blocks (ggml's Q8_0/Q8_1): scale `d = amax/127` rounded through f16 as ggml stores
///   it, values `round(x/d)`, plus the block's integer sum (Q4_0's −8 offset) and `d·Σq` rounded
///   through f16 (Q4_1's offset term) — mirroring llama.cpp so our logits follow its rounding.
/// - 256-value super-blocks (ggml's Q8_K): scale from the signed value of largest magnitude,
///   values in −128…127, plus the integer sum of every 16 values (the K-quants' min/offset terms).
///
/// Rows are independent vectors of `width` values (one per token of a batch).
public final class QuantisedActivations: @unchecked Sendable {
    // Safety: a single evaluation owns an instance; worker threads only read it between
    // `prepare` calls, which the pool's dispatch orders before and after.

    /// Values per row.
    public let width: Int
    /// Rows (tokens) the buffers hold.
    public let capacity: Int
    /// Rows currently loaded.
    public private(set) var rows = 0

    let source: UnsafeMutablePointer<Float>
    let blockValues: UnsafeMutablePointer<Int8>
    /// `blockValues` sign-extended to 16 bits: the 32-value kernels multiply 16-bit lanes
    /// (`vpmullw`) without widening the activations again for every weight row.
    let blockValuesWide: UnsafeMutablePointer<Int16>
    let blockScale: UnsafeMutablePointer<Float>
    let blockScaledSum: UnsafeMutablePointer<Float>
    let blockSum: UnsafeMutablePointer<Int32>
    let superValues: UnsafeMutablePointer<Int8>
    let superScale: UnsafeMutablePointer<Float>
    /// Integer sums of every 16 super-block values (|Σ| ≤ 16·128 fits 16 bits, the lanes the
    /// C kernels multiply with `vpmaddwd`).
    let groupSum: UnsafeMutablePointer<Int16>
    let blockRoundTrip: UnsafeMutablePointer<Float>
    let blockOffsetDelta: UnsafeMutablePointer<Float>
    private var haveOffsetDelta = false
    let superRoundTrip: UnsafeMutablePointer<Float>
    private var haveBlocks = false
    private var haveSuper = false
    private var haveBlockRoundTrip = false
    private var haveSuperRoundTrip = false

    /// Buffers for up to `capacity` rows of `width` values; `width` must be a multiple of 32.
    public init(width: Int, capacity: Int = 1) {
        precondition(width % 32 == 0 && capacity > 0)
        self.width = width
        self.capacity = capacity
        let n = width * capacity
        source = .allocate(capacity: n)
        blockValues = .allocate(capacity: n)
        blockValuesWide = .allocate(capacity: n)
        blockScale = .allocate(capacity: n / 32)
        blockScaledSum = .allocate(capacity: n / 32)
        blockSum = .allocate(capacity: n / 32)
        let superWidth = (width + 255) / 256 * 256
        superValues = .allocate(capacity: superWidth * capacity)
        superScale = .allocate(capacity: superWidth / 256 * capacity)
        groupSum = .allocate(capacity: superWidth / 16 * capacity)
        blockRoundTrip = .allocate(capacity: n)
        blockOffsetDelta = .allocate(capacity: n / 32)
        superRoundTrip = .allocate(capacity: n)
    }

    deinit {
        for p in [blockScale, blockScaledSum, source] { p.deallocate() }
        blockValues.deallocate(); blockValuesWide.deallocate(); blockSum.deallocate()
        blockRoundTrip.deallocate(); superRoundTrip.deallocate(); blockOffsetDelta.deallocate()
        superValues.deallocate(); superScale.deallocate(); groupSum.deallocate()
    }

    /// Super-blocks per row (the row padded to 256 for K-quant weights).
    var superBlocksPerRow: Int { (width + 255) / 256 }

    /// Loads `rows` vectors of `width` floats from `x` (row-major) and forgets earlier quantisations.
    public func load(_ x: UnsafePointer<Float>, rows: Int) {
        precondition(rows <= capacity)
        self.rows = rows
        source.update(from: x, count: rows * width)
        haveBlocks = false
        haveSuper = false
        haveBlockRoundTrip = false
        haveSuperRoundTrip = false
        haveOffsetDelta = false
    }

    /// Per 32-value block, the f16-rounded `d·Σq` minus the exact `d·Σq` of the round trip:
    /// what the integer Q4_1 kernel's offset term sees beyond what sgemm sees.
    func offsetRoundingDeltas() -> UnsafePointer<Float> {
        prepare(for: .q4_1)
        if !haveOffsetDelta {
            for b in 0..<(rows * width / 32) {
                blockOffsetDelta[b] = blockScaledSum[b] - blockScale[b] * Float(blockSum[b])
            }
            haveOffsetDelta = true
        }
        return UnsafePointer(blockOffsetDelta)
    }

    /// The activations as the integer kernels see them for `format` (each value replaced by
    /// its 8-bit approximation `d·q`), row-major like the input. Feeding these to sgemm makes
    /// the batched path round exactly like the decoding path (and like llama.cpp), so scoring a
    /// continuation in one batch agrees with decoding it token by token.
    public func roundTripped(for format: WeightFormat) -> UnsafePointer<Float> {
        prepare(for: format)
        switch format {
        case .q4_K, .q6_K:
            if !haveSuperRoundTrip {
                let perRow = superBlocksPerRow
                for r in 0..<rows {
                    for i in 0..<width {
                        let index = r * perRow + i / 256
                        superRoundTrip[r * width + i] = superScale[index] * Float(superValues[256 * index + i % 256])
                    }
                }
                haveSuperRoundTrip = true
            }
            return UnsafePointer(superRoundTrip)
        case .q4_0, .q4_1, .q8_0:
            if !haveBlockRoundTrip {
                for i in 0..<(rows * width) { blockRoundTrip[i] = blockScale[i / 32] * Float(blockValues[i]) }
                haveBlockRoundTrip = true
            }
            return UnsafePointer(blockRoundTrip)
        case .f32, .f16:
            return UnsafePointer(source)
        }
    }

    /// The f32 values of row `r`, as loaded.
    public func floats(_ r: Int) -> UnsafePointer<Float> { UnsafePointer(source + r * width) }

    /// Makes sure the quantisation `format`'s dot product needs is present; with a `pool`, the
    /// rows of a batch are quantised on its threads (K-quant formats).
    public func prepare(for format: WeightFormat, pool: WorkerPool? = nil) {
        switch format {
        case .q4_K, .q6_K:
            if !haveSuper { quantiseSuperBlocks(pool: pool); haveSuper = true }
        case .q4_0, .q4_1, .q8_0:
            if !haveBlocks { quantiseBlocks(); haveBlocks = true }
        case .f32, .f16:
            break
        }
    }

    private func quantiseBlocks() {
        for b in 0..<(rows * width / 32) {
            let x = source + 32 * b
            var amax: Float = 0
            for i in 0..<32 { amax = Swift.max(amax, abs(x[i])) }
            let d = amax / 127
            let inverse: Float = amax == 0 ? 0 : 127 / amax
            let q = blockValues + 32 * b
            let wide = blockValuesWide + 32 * b
            var sum: Int32 = 0
            for i in 0..<32 {
                let v = Int8((x[i] * inverse).rounded(.toNearestOrEven))
                q[i] = v
                wide[i] = Int16(v)
                sum &+= Int32(v)
            }
            let storedD = HalfFloat.round(d)
            blockScale[b] = storedD
            blockSum[b] = sum
            blockScaledSum[b] = HalfFloat.round(d * Float(sum))
        }
    }

    private func quantiseSuperBlocks(pool: WorkerPool?) {
        // Vectorised in C (CLlamaKernels); it was 4% of a Qwen2.5 prompt as a Swift loop, run on
        // one thread while the other waited. `referenceSuperBlocks` is the plain version tests
        // compare it with. Rows are independent, so a batch splits them across the pool.
        let perRow = superBlocksPerRow, width = width
        guard let pool, rows > 1 else {
            lk_quantise_q8k(source, rows, width, superValues, superScale, groupSum)
            return
        }
        nonisolated(unsafe) let buffers = (source, superValues, superScale, groupSum)
        pool.forEachRange(rows) { range in
            let first = range.lowerBound
            lk_quantise_q8k(buffers.0 + first * width, range.count, width, buffers.1 + 256 * perRow * first,
                            buffers.2 + perRow * first, buffers.3 + 16 * perRow * first)
        }
    }

    /// Plain Q8_K quantisation of one row of `width` values (ggml's rules, as in
    /// `quantiseSuperBlocks`): per 256 values the signed value of largest magnitude maps to −127.
    static func referenceSuperBlocks(_ x: [Float]) -> (values: [Int8], scales: [Float], sums: [Int16]) {
        let supers = (x.count + 255) / 256
        var values = [Int8](repeating: 0, count: 256 * supers)
        var scales = [Float](repeating: 0, count: supers)
        var sums = [Int16](repeating: 0, count: 16 * supers)
        for s in 0..<supers {
            let start = 256 * s, available = Swift.min(256, x.count - start)
            var extreme: Float = 0
            for i in 0..<available where abs(x[start + i]) > abs(extreme) { extreme = x[start + i] }
            if extreme == 0 { continue }
            let inverse = -127 / extreme
            for i in 0..<available {
                values[start + i] = Int8(Swift.min(127, (inverse * x[start + i]).rounded(.toNearestOrEven)))
            }
            for g in 0..<16 {
                sums[16 * s + g] = Int16(values[(start + 16 * g)..<(start + 16 * g + 16)].reduce(0) { $0 + Int32($1) })
            }
            scales[s] = 1 / inverse
        }
        return (values, scales, sums)
    }
}
