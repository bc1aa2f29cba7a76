/// The steps of a transformer block that a session (causal over its KV cache) and the packed
/// embedder (block-diagonal over several phrases) share: the norms, the projections with their
/// choice between integer products and sgemm, biases, rotary embedding and the feed-forward
/// block. Only the attention core — where keys and values live and which rows see which —
/// differs between the two, and stays with each.
struct LayerKernels {
    let config: ModelConfiguration
    let buffers: SessionBuffers
    let pool: WorkerPool
    /// Batches at least this long go through sgemm (see `LlamaSession.blasThreshold`).
    let blasThreshold: Int
    /// Integer products in llama.cpp's order for every format it covers, at every batch size
    /// (see `LlamaSession.llamaCppOrder`).
    var llamaCppOrder = false
    /// Q4_1 always through llama.cpp-order integer products (sessions); the packed embedder,
    /// whose passes run 256 rows where sgemm keeps its edge, turns this off.
    var q4_1AlwaysInteger = true

    /// Whether a batch of `rows` tokens goes through the integer products: always for Q4_1 (in
    /// llama.cpp's order, as fast as sgemm here up to 128-token batches and faster below — see
    /// docs/BENCHMARKS.md), always in `llamaCppOrder`, otherwise unless `usesBLAS`.
    private func integer(_ rows: Int, _ format: WeightFormat) -> Bool {
        llamaCppOrder || (format == .q4_1 && q4_1AlwaysInteger) || !usesBLAS(format, rows: rows)
    }

    /// Whether a batch of `rows` tokens through weights in `format` goes to sgemm on dequantised
    /// tiles rather than the integer products. The K-quant kernels (CLlamaKernels) unpack each
    /// weight chunk once per group of tokens and beat sgemm at every batch size measured on
    /// Qwen2.5 shapes (one core: 170–290 integer GOP/s against sgemm's ~110 GFLOP/s before
    /// dequantising the tiles; docs/BENCHMARKS.md, session 3), so only the 32-value formats switch.
    func usesBLAS(_ format: WeightFormat, rows: Int) -> Bool {
        !format.usesSuperBlocks && rows >= blasThreshold
    }

    /// `output[row] = w · input[row]` for `rows` rows, through integer products or sgemm.
    func project(_ w: PackedMatrix, input: UnsafePointer<Float>, rows: Int, activations: QuantisedActivations,
                 output: UnsafeMutablePointer<Float>, stride: Int, alreadyLoaded: Bool = false) {
        if !alreadyLoaded { activations.load(input, rows: rows) }
        if !integer(rows, w.format) {
            MatrixProduct.multiplyBLAS(w, activations, into: output, outputStride: stride,
                                       scratch: buffers.tiles, tileRows: buffers.tileRows, pool: pool)
        } else if LlamaCppOrderProducts.covers(allFormats: llamaCppOrder, w) {
            LlamaCppOrderProducts.multiply((w, output, stride), activations: activations, pool: pool)
        } else {
            MatrixProduct.multiply(w, activations, into: output, outputStride: stride, pool: pool)
        }
    }

    /// Normalises the residual rows into `buffers.normed` and loads them as activations.
    private func normalisedActivations(rows n: Int, gain: [Float]) -> QuantisedActivations {
        let c = config, b = buffers, d = c.embeddingWidth
        for i in 0..<n {
            VectorOps.rmsNorm(b.x + i * d, gain: gain, epsilon: c.rmsEpsilon, into: b.normed + i * d, d)
        }
        b.embeddingActivations.load(b.normed, rows: n)
        return b.embeddingActivations
    }

    /// Queries, keys and values of `n` rows in `buffers.query/key/value`, biased and rotated
    /// (positions from `buffers.cosines/sines`); returns the loaded activations for reuse.
    @discardableResult
    func queryKeyValue(weights: LayerWeights, rows n: Int) -> QuantisedActivations {
        let c = config, b = buffers, kv = c.kvWidth, hd = c.headWidth
        let qWidth = c.headCount * hd
        let acts = normalisedActivations(rows: n, gain: weights.attentionNorm)
        let qkv = [weights.query, weights.key, weights.value]
        if qkv.allSatisfy({ integer(n, $0.format) })
            && LlamaCppOrderProducts.covers(allFormats: llamaCppOrder, weights.query, weights.key, weights.value)
        {
            LlamaCppOrderProducts.multiply((weights.query, b.query, qWidth), (weights.key, b.key, kv), (weights.value, b.value, kv),
                                           activations: acts, pool: pool)
        } else if !qkv.contains(where: { usesBLAS($0.format, rows: n) }) {
            MatrixProduct.multiplyFused((weights.query, b.query), (weights.key, b.key), (weights.value, b.value),
                                        activations: acts, pool: pool)
        } else {
            project(weights.query, input: b.normed, rows: n, activations: acts, output: b.query, stride: qWidth, alreadyLoaded: true)
            project(weights.key, input: b.normed, rows: n, activations: acts, output: b.key, stride: kv, alreadyLoaded: true)
            project(weights.value, input: b.normed, rows: n, activations: acts, output: b.value, stride: kv, alreadyLoaded: true)
        }
        let pairs = c.ropeDimensions / 2
        for i in 0..<n {
            if let bias = weights.queryBias { Self.add(bias, to: b.query + i * qWidth) }
            if let bias = weights.keyBias { Self.add(bias, to: b.key + i * kv) }
            if let bias = weights.valueBias { Self.add(bias, to: b.value + i * kv) }
            for h in 0..<c.headCount {
                VectorOps.rope(b.query + i * qWidth + h * hd, dimensions: c.ropeDimensions, style: c.ropeStyle,
                               cosines: b.cosines + i * pairs, sines: b.sines + i * pairs)
            }
            for h in 0..<c.kvHeadCount {
                VectorOps.rope(b.key + i * kv + h * hd, dimensions: c.ropeDimensions, style: c.ropeStyle,
                               cosines: b.cosines + i * pairs, sines: b.sines + i * pairs)
            }
        }
        return acts
    }

    /// The attention output projection, added to the residual.
    func attentionOutput(weights: LayerWeights, rows n: Int, activations: QuantisedActivations) {
        let b = buffers, d = config.embeddingWidth
        project(weights.output, input: b.attention, rows: n, activations: activations, output: b.projected, stride: d)
        for i in 0..<(n * d) { b.x[i] += b.projected[i] }
    }

    /// The SwiGLU feed-forward block over `n` rows, added to the residual.
    func feedForward(weights: LayerWeights, rows n: Int) {
        let b = buffers, d = config.embeddingWidth, f = config.feedForwardWidth
        let acts = normalisedActivations(rows: n, gain: weights.feedForwardNorm)
        if integer(n, weights.gate.format) && integer(n, weights.up.format)
            && LlamaCppOrderProducts.covers(allFormats: llamaCppOrder, weights.gate, weights.up)
        {
            LlamaCppOrderProducts.multiply((weights.gate, b.gate, f), (weights.up, b.up, f), activations: acts, swiglu: true, pool: pool)
        } else if !usesBLAS(weights.gate.format, rows: n) && !usesBLAS(weights.up.format, rows: n) {
            MatrixProduct.multiplySwiGLU(gate: weights.gate, up: weights.up, acts, into: b.gate, pool: pool)
        } else {
            project(weights.gate, input: b.normed, rows: n, activations: acts, output: b.gate, stride: f, alreadyLoaded: true)
            project(weights.up, input: b.normed, rows: n, activations: acts, output: b.up, stride: f, alreadyLoaded: true)
            VectorOps.swiglu(b.gate, b.up, n * f)
        }
        project(weights.down, input: b.gate, rows: n, activations: b.feedForwardActivations, output: b.projected, stride: d)
        for i in 0..<(n * d) { b.x[i] += b.projected[i] }
    }

    /// One query head attending over `visible` cached positions (keys and values in f16,
    /// `stride` halves apart): softmax(q·k·scale)·v into `out` (`width` values, a multiple of
    /// 64). `query` is rounded to f16 in place; `scores` (`visible` floats) and `accumulators`
    /// (`4·16·width` floats) are scratch.
    ///
    /// Rounded exactly as llama.cpp without flash attention: it multiplies the f16 cache with the
    /// query and the probabilities converted to f16, sums each product in ggml's `order`
    /// (tinyBLAS for batches, `ggml_vec_dot_f16` for single tokens; see `HalfDotOrder`) and
    /// takes its softmax (`VectorOps.softmax`). For V·p, lane `j mod 16` of accumulator group
    /// `(j / 16) mod 4` (one group for `.tiled`) collects position `j`; the groups and lanes
    /// are then added in ggml's order.
    @inline(__always)
    static func attend(query q: UnsafeMutablePointer<Float>, keys: UnsafePointer<Float16>, values: UnsafePointer<Float16>,
                       stride: Int, visible: Int, width hd: Int, scale: Float, order: VectorOps.HalfDotOrder,
                       scores: UnsafeMutablePointer<Float>, accumulators acc: UnsafeMutablePointer<Float>,
                       into out: UnsafeMutablePointer<Float>) {
        for e in 0..<hd { q[e] = Float(Float16(q[e])) }
        for j in 0..<visible {
            scores[j] = VectorOps.llamaCppDot(q, keys + j * stride, hd, order: order) * scale
        }
        VectorOps.softmax(scores, visible)
        let groups = order == .tiled ? 1 : 4
        let lanes = 16 * hd
        // Positions below 16·groups each open their own accumulator row (row j): a product into
        // a zeroed row is the product itself, so the first pass stores instead of adding and
        // only rows no position reaches are zeroed (a full clear per head cost ~8% of a token).
        let firstPass = min(visible, 16 * groups)
        for j in 0..<firstPass {
            VectorOps.scaled(acc + j * hd, Float(Float16(scores[j])), values + j * stride, hd)
        }
        if firstPass < 16 * groups { (acc + firstPass * hd).initialize(repeating: 0, count: (16 * groups - firstPass) * hd) }
        for j in firstPass..<max(visible, firstPass) {
            let group = groups == 1 ? 0 : (j / 16) % 4
            VectorOps.fusedAddScaled(acc + group * lanes + (j % 16) * hd, Float(Float16(scores[j])), values + j * stride, hd)
        }
        if groups == 4 {
            for i in 0..<lanes {
                acc[i] += acc[2 * lanes + i]
                acc[lanes + i] += acc[3 * lanes + i]
            }
            for i in 0..<lanes { acc[i] += acc[lanes + i] }
        }
        // Lanes l and l+8, then l and l+4, then (0 + 2) + (1 + 3): `VectorOps.reduceAdd`.
        for l in 0..<8 { for e in 0..<hd { acc[l * hd + e] += acc[(l + 8) * hd + e] } }
        for l in 0..<4 { for e in 0..<hd { acc[l * hd + e] += acc[(l + 4) * hd + e] } }
        for e in 0..<hd { out[e] = (acc[e] + acc[2 * hd + e]) + (acc[hd + e] + acc[3 * hd + e]) }
    }

    private static func add(_ bias: [Float], to v: UnsafeMutablePointer<Float>) {
        for j in 0..<bias.count { v[j] += bias[j] }
    }
}
