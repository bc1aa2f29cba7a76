import CBLAS

/// Which logits an evaluation computes.
public enum LogitsRequest: Sendable, Equatable {
    /// None (filling the cache only, e.g. a shared prefix).
    case none
    /// The last position of the batch (decoding).
    case last
    /// Every position of the batch (scoring a candidate continuation in one pass).
    case all
}

/// How token hidden states are pooled into one embedding.
public enum Pooling: Sendable, Equatable {
    /// Mean over all tokens.
    case mean
    /// The last token's state.
    case last
}

/// One conversation with a model: a KV cache of configurable length over a shared
/// `LlamaModel`, evaluated with the fast kernels.
///
/// A session is used from one thread at a time; run several sessions for parallel requests.
/// Evaluating allocates nothing once the session exists (logits for all positions grow their
/// buffer the first time a larger batch asks for them).
public final class LlamaSession {
    /// The shared model.
    public let model: LlamaModel
    /// Positions the cache holds.
    public let contextLength: Int
    /// Tokens evaluated so far; the next token goes to position `tokens.count`.
    public private(set) var tokens: [Int32] = []
    /// Rows of the last evaluation's logits (0, 1 or the batch size).
    public private(set) var logitRows = 0

    /// Batches at least this long go through dequantised tiles and `cblas_sgemm`; shorter ones
    /// through the integer dot products. Measured on SmolLM2 shapes (2 threads): sgemm overtakes
    /// from 8–16 tokens for Q8_0. Q4_K and Q6_K weights always take the integer kernels
    /// (CLlamaKernels), which beat sgemm at every batch size (`LayerKernels.usesBLAS`); Q4_1
    /// ignores it too: its products in llama.cpp's order (two rows × two tokens per pass) match
    /// sgemm at 128-token batches and beat it below, and keep the hidden states bit-identical
    /// to llama.cpp's.
    public var blasThreshold = 12

    /// Evaluates every batch with integer products summed in llama.cpp's order — Q4_1, and the
    /// Q8_0, Q4_K and Q6_K kernels as llama.cpp runs them on x86 (Q8_0 `vec_dot`/tinyBLAS,
    /// repacked Q4_K GEMM/GEMV, `vec_dot` Q6_K, which is llama.cpp's path with its tiled K-quant
    /// kernel disabled) — so that logits equal llama.cpp's bit for bit (the parity tests).
    /// Slower than the default kernels for those formats (no sgemm; plain kernels). Off by
    /// default; Q4_1 always uses llama.cpp's order (it costs nothing), so a Q4_1 model with a
    /// Q8_0 head (SmolLM2) already matches llama.cpp's hidden states, and its logits to ~1e-5.
    public var llamaCppOrder = false

    let pool: WorkerPool
    let buffers: SessionBuffers
    let keyCache: UnsafeMutablePointer<Float16>
    let valueCache: UnsafeMutablePointer<Float16>
    private let config: ModelConfiguration

    /// A session with room for `contextLength` tokens, evaluating on `threads` threads (or on a
    /// pool shared with other sessions, whose jobs are then serialised).
    public init(model: LlamaModel, contextLength: Int = 2048, threads: Int = 2, pool: WorkerPool? = nil,
                batchCapacity: Int = 128) throws(LlamaError) {
        guard contextLength > 0, batchCapacity > 0 else {
            throw LlamaError(.invalidArgument, path: model.file.path, detail: "context length and batch capacity must be positive")
        }
        self.model = model
        self.contextLength = contextLength
        config = model.configuration
        let workers = pool ?? WorkerPool(threadCount: threads)
        self.pool = workers
        buffers = SessionBuffers(configuration: config, contextLength: contextLength,
                                 batchCapacity: batchCapacity, threads: workers.threadCount)
        let cacheCount = config.layerCount * contextLength * config.kvWidth
        keyCache = .allocate(capacity: cacheCount)
        valueCache = .allocate(capacity: cacheCount)
        // Our pool already splits the sgemm calls across the cores.
        openblas_set_num_threads(1)
    }

    deinit {
        keyCache.deallocate()
        valueCache.deallocate()
    }

    /// Evaluates `batch` at positions `tokens.count…`, appending to the cache, and computes the
    /// requested logits (read them with `logits(row:)`).
    public func evaluate(_ batch: [Int32], logits request: LogitsRequest = .last) throws(LlamaError) {
        try evaluate(batch, logits: request, captureLayer: nil, pooled: nil)
    }

    /// The logits of row `row` of the last evaluation (`row` 0 is the only row for `.last`).
    /// Valid until the next evaluation.
    public func logits(row: Int = 0) -> UnsafeBufferPointer<Float> {
        precondition(row >= 0 && row < logitRows, "logits row \(row) of \(logitRows)")
        return UnsafeBufferPointer(start: buffers.logits + row * config.vocabularySize, count: config.vocabularySize)
    }

    /// Drops every token at position `position` and later (beam and candidate search).
    public func truncate(to position: Int) throws(LlamaError) {
        guard position >= 0, position <= tokens.count else {
            throw LlamaError(.badPosition(position), detail: "cannot truncate to \(position): the session holds \(tokens.count) tokens")
        }
        tokens.removeLast(tokens.count - position)
        logitRows = 0
    }

    /// Forgets all tokens.
    public func reset() {
        tokens.removeAll(keepingCapacity: true)
        logitRows = 0
    }

    /// A snapshot of the evaluated prefix.
    public func saveState() -> SessionState {
        let n = tokens.count, w = config.kvWidth
        var keys = [Float16](), values = [Float16]()
        keys.reserveCapacity(config.layerCount * n * w)
        values.reserveCapacity(config.layerCount * n * w)
        for l in 0..<config.layerCount {
            let base = l * contextLength * w
            keys.append(contentsOf: UnsafeBufferPointer(start: keyCache + base, count: n * w))
            values.append(contentsOf: UnsafeBufferPointer(start: valueCache + base, count: n * w))
        }
        return SessionState(tokens: tokens, keys: keys, values: values, kvWidth: w, layerCount: config.layerCount)
    }

    /// Replaces the session's contents with `state` (taken from any session of the same model).
    public func restore(_ state: SessionState) throws(LlamaError) {
        guard state.kvWidth == config.kvWidth, state.layerCount == config.layerCount else {
            throw LlamaError(.invalidArgument, path: model.file.path, detail: "state was saved from a different model")
        }
        let n = state.tokens.count, w = config.kvWidth
        guard n <= contextLength else {
            throw LlamaError(.contextOverflow(needed: n, context: contextLength), path: model.file.path,
                             detail: "state holds \(n) tokens but this session's context is \(contextLength)")
        }
        state.keys.withUnsafeBufferPointer { k in
            state.values.withUnsafeBufferPointer { v in
                for l in 0..<config.layerCount {
                    let base = l * contextLength * w
                    (keyCache + base).update(from: k.baseAddress! + l * n * w, count: n * w)
                    (valueCache + base).update(from: v.baseAddress! + l * n * w, count: n * w)
                }
            }
        }
        tokens = state.tokens
        logitRows = 0
    }

    /// The embedding of `batch`, evaluated from an empty cache (the session is reset first and
    /// holds `batch` afterwards): hidden states after `output_norm` (or, with `layer`, the
    /// residual stream after that block, 0-based), pooled, L2-normalised.
    public func embed(_ batch: [Int32], pooling: Pooling = .mean, layer: Int? = nil) throws(LlamaError) -> [Float] {
        if let layer, layer < 0 || layer >= config.layerCount {
            throw LlamaError(.invalidArgument, path: model.file.path, detail: "layer \(layer) is outside 0..<\(config.layerCount)")
        }
        reset()
        var pooled = [Float](repeating: 0, count: config.embeddingWidth)
        try pooled.withUnsafeMutableBufferPointer { (p: inout UnsafeMutableBufferPointer<Float>) throws(LlamaError) in
            try evaluate(batch, logits: .none, captureLayer: layer ?? -1, pooled: (p.baseAddress!, pooling))
        }
        var norm: Float = 0
        for v in pooled { norm += v * v }
        let inverse = norm > 0 ? 1 / norm.squareRoot() : 0
        return pooled.map { $0 * inverse }
    }

    // MARK: - Forward pass

    /// `captureLayer`: −1 = final normed state, k = residual after block k; `pooled` receives the
    /// pooled (not yet normalised) capture.
    private func evaluate(_ batch: [Int32], logits request: LogitsRequest, captureLayer: Int?,
                          pooled: (UnsafeMutablePointer<Float>, Pooling)?) throws(LlamaError) {
        guard !batch.isEmpty else {
            throw LlamaError(.invalidArgument, path: model.file.path, detail: "cannot evaluate an empty batch")
        }
        for t in batch where t < 0 || Int(t) >= config.vocabularySize {
            throw LlamaError(.tokenOutOfRange(token: t, vocabulary: config.vocabularySize), path: model.file.path,
                             detail: "token id \(t) is outside the vocabulary 0..<\(config.vocabularySize)")
        }
        guard tokens.count + batch.count <= contextLength else {
            throw LlamaError(.contextOverflow(needed: tokens.count + batch.count, context: contextLength), path: model.file.path,
                             detail: "\(tokens.count) cached + \(batch.count) new tokens exceed the context of \(contextLength); truncate or start a larger session")
        }
        if request == .all { buffers.reserveLogits(rows: batch.count, vocabulary: config.vocabularySize) }
        if let (p, _) = pooled { p.initialize(repeating: 0, count: config.embeddingWidth) }
        logitRows = 0
        var start = 0
        while start < batch.count {
            let end = min(batch.count, start + buffers.batchCapacity)
            let chunk = Array(batch[start..<end])
            let isLast = end == batch.count
            let chunkLogits: LogitsRequest = request == .all ? .all : (request == .last && isLast ? .last : .none)
            forward(chunk, logits: chunkLogits, logitRowOffset: start, captureLayer: captureLayer,
                    pooled: pooled.map { ($0.0, $0.1, batch.count, isLast) })
            tokens.append(contentsOf: chunk)
            start = end
        }
        logitRows = request == .all ? batch.count : (request == .last ? 1 : 0)
    }

    private func forward(_ batch: [Int32], logits request: LogitsRequest, logitRowOffset: Int, captureLayer: Int?,
                         pooled: (UnsafeMutablePointer<Float>, Pooling, Int, Bool)?) {
        let c = config, b = buffers, n = batch.count, d = c.embeddingWidth
        let p0 = tokens.count
        let pairs = c.ropeDimensions / 2
        for (i, t) in batch.enumerated() {
            model.tokenEmbedding.dequantiseRow(Int(t), into: b.x + i * d)
            VectorOps.ropeAngles(position: p0 + i, dimensions: c.ropeDimensions, base: c.ropeFrequencyBase,
                                 cosines: b.cosines + i * pairs, sines: b.sines + i * pairs)
        }
        for (l, layer) in model.layers.enumerated() {
            attentionBlock(layer: l, weights: layer, rows: n, firstPosition: p0)
            feedForwardBlock(weights: layer, rows: n)
            if captureLayer == l, let (sum, pooling, total, _) = pooled {
                accumulate(b.x, rows: n, into: sum, pooling: pooling, total: total)
                // An embedding from block l needs nothing after it: stopping here makes an
                // early-layer embedding cost (l + 1) / layerCount of a full pass.
                if request == .none { return }
            }
        }
        let needFinal = request != .none || captureLayer == -1
        guard needFinal else { return }
        let firstRow = request == .last && captureLayer != -1 ? n - 1 : 0
        for i in firstRow..<n {
            VectorOps.rmsNorm(b.x + i * d, gain: model.outputNorm, epsilon: c.rmsEpsilon, into: b.normed + i * d, d)
        }
        if captureLayer == -1, let (sum, pooling, total, _) = pooled {
            accumulate(b.normed, rows: n, into: sum, pooling: pooling, total: total)
        }
        switch request {
        case .none: break
        case .last:
            project(model.outputHead, input: b.normed + (n - 1) * d, rows: 1, activations: b.embeddingActivations,
                    output: b.logits, stride: c.vocabularySize)
        case .all:
            project(model.outputHead, input: b.normed, rows: n, activations: b.embeddingActivations,
                    output: b.logits + logitRowOffset * c.vocabularySize, stride: c.vocabularySize)
        }
    }

    private func accumulate(_ states: UnsafeMutablePointer<Float>, rows n: Int, into sum: UnsafeMutablePointer<Float>,
                            pooling: Pooling, total: Int) {
        let d = config.embeddingWidth
        switch pooling {
        case .mean:
            for i in 0..<n { VectorOps.addScaled(sum, 1 / Float(total), states + i * d, d) }
        case .last:
            sum.update(from: states + (n - 1) * d, count: d)
        }
    }

    /// `output = W·input` for `rows` input rows: integer dot products for short batches,
    /// dequantised tiles through sgemm for long ones. Loads `activations` when it uses them.
    private var kernels: LayerKernels {
        var kernels = LayerKernels(config: config, buffers: buffers, pool: pool, blasThreshold: blasThreshold)
        kernels.llamaCppOrder = llamaCppOrder
        return kernels
    }

    private func project(_ w: PackedMatrix, input: UnsafePointer<Float>, rows: Int, activations: QuantisedActivations,
                         output: UnsafeMutablePointer<Float>, stride: Int, alreadyLoaded: Bool = false) {
        kernels.project(w, input: input, rows: rows, activations: activations, output: output, stride: stride,
                        alreadyLoaded: alreadyLoaded)
    }

    private func attentionBlock(layer l: Int, weights: LayerWeights, rows n: Int, firstPosition p0: Int) {
        let c = config, b = buffers, kv = c.kvWidth, hd = c.headWidth
        let qWidth = c.headCount * hd
        let acts = kernels.queryKeyValue(weights: weights, rows: n)
        for i in 0..<n {
            let slot = (l * contextLength + p0 + i) * kv
            for j in 0..<kv {
                keyCache[slot + j] = Float16(b.key[i * kv + j])
                valueCache[slot + j] = Float16(b.value[i * kv + j])
            }
        }
        // Heads read the f16 cache in place, widening on the fly inside the parallel loop (a
        // serial widening of the layer's whole cache cost ~3% of a token at 200 positions).
        let layerBase = l * contextLength * kv
        nonisolated(unsafe) let keys = UnsafePointer(keyCache + layerBase)
        nonisolated(unsafe) let values = UnsafePointer(valueCache + layerBase)

        let headsPerKV = c.headCount / c.kvHeadCount
        let scale = 1 / Float(hd).squareRoot()
        let context = contextLength
        // llama.cpp sums attention products in tinyBLAS's order for a batch, ggml_vec_dot_f16's
        // for a single token.
        let order: VectorOps.HalfDotOrder = n >= 2 ? .tiled : .vector
        nonisolated(unsafe) let buf = b
        pool.forEachChunk(n * c.headCount) { worker, items in
            let scores = buf.scores + worker * context
            let accumulators = buf.attentionAccumulators + worker * 64 * hd
            for item in items {
                let i = item / c.headCount, h = item % c.headCount
                let kvh = h / headsPerKV
                LayerKernels.attend(query: buf.query + i * qWidth + h * hd,
                                    keys: keys + kvh * hd, values: values + kvh * hd, stride: kv,
                                    visible: p0 + i + 1, width: hd, scale: scale, order: order, scores: scores,
                                    accumulators: accumulators, into: buf.attention + i * qWidth + h * hd)
            }
        }
        kernels.attentionOutput(weights: weights, rows: n, activations: acts)
    }

    private func feedForwardBlock(weights: LayerWeights, rows n: Int) {
        kernels.feedForward(weights: weights, rows: n)
    }
}
