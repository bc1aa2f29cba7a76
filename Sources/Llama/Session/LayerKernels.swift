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
        if usesBLAS(w.format, rows: rows) {
            MatrixProduct.multiplyBLAS(w, activations, into: output, outputStride: stride,
                                       scratch: buffers.tiles, tileRows: buffers.tileRows, pool: pool)
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
        if ![weights.query, weights.key, weights.value].contains(where: { usesBLAS($0.format, rows: n) }) {
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
        if !usesBLAS(weights.gate.format, rows: n) && !usesBLAS(weights.up.format, rows: n) {
            MatrixProduct.multiplySwiGLU(gate: weights.gate, up: weights.up, acts, into: b.gate, pool: pool)
        } else {
            project(weights.gate, input: b.normed, rows: n, activations: acts, output: b.gate, stride: f, alreadyLoaded: true)
            project(weights.up, input: b.normed, rows: n, activations: acts, output: b.up, stride: f, alreadyLoaded: true)
            VectorOps.swiglu(b.gate, b.up, n * f)
        }
        project(weights.down, input: b.gate, rows: n, activations: b.feedForwardActivations, output: b.projected, stride: d)
        for i in 0..<(n * d) { b.x[i] += b.projected[i] }
    }

    private static func add(_ bias: [Float], to v: UnsafeMutablePointer<Float>) {
        for j in 0..<bias.count { v[j] += bias[j] }
    }
}
