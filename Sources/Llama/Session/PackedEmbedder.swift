/// Embeds many short sequences per forward pass by packing them into one batch.
///
/// Why: a short phrase (10–20 tokens) alone is too small a batch for the matrix kernels to
/// reach their throughput; packing a few dozen phrases into one pass of up to ``capacity`` rows
/// lets every weight tile be used for hundreds of rows (the sgemm path). Each row attends only
/// to the earlier rows of its own sequence (a block-diagonal causal mask) and gets the rotary
/// position it would have alone, so every sequence's embedding is what ``LlamaSession/embed``
/// gives it on its own, up to the rounding of the matrix path (integer dot products for short
/// batches there, sgemm on the same 8-bit activation round trip here).
///
/// No KV cache is kept: the keys and values of a pass live in the batch buffers and are rounded
/// through f16 exactly as the session's cache rounds them. Used from one thread at a time.
public final class PackedEmbedder {
    /// The shared model.
    public let model: LlamaModel
    /// Rows (tokens of all packed sequences) per forward pass; the longest sequence accepted.
    public let capacity: Int

    /// Batches at least this long use sgemm (as ``LlamaSession/blasThreshold``).
    public var blasThreshold = 12

    let pool: WorkerPool
    let buffers: SessionBuffers
    private let config: ModelConfiguration

    /// An embedder packing up to `capacity` tokens per pass, on `threads` threads (or `pool`).
    public init(model: LlamaModel, capacity: Int = 256, threads: Int = 2, pool: WorkerPool? = nil) throws(LlamaError) {
        guard capacity > 0 else {
            throw LlamaError(.invalidArgument, path: model.file.path, detail: "packing capacity must be positive")
        }
        self.model = model
        self.capacity = capacity
        config = model.configuration
        let workers = pool ?? WorkerPool(threadCount: threads)
        self.pool = workers
        buffers = SessionBuffers(configuration: config, contextLength: capacity, batchCapacity: capacity,
                                 threads: workers.threadCount)
    }

    /// The L2-normalised embedding of each of `sequences` (in order): hidden states after
    /// `output_norm` (or, with `layer`, the residual after that block, 0-based), pooled.
    /// Sequences are packed greedily in order into passes of at most ``capacity`` tokens.
    public func embed(_ sequences: [[Int32]], pooling: Pooling = .mean, layer: Int? = nil) throws(LlamaError) -> [[Float]] {
        if let layer, layer < 0 || layer >= config.layerCount {
            throw LlamaError(.invalidArgument, path: model.file.path, detail: "layer \(layer) is outside 0..<\(config.layerCount)")
        }
        for (index, sequence) in sequences.enumerated() {
            guard !sequence.isEmpty else {
                throw LlamaError(.invalidArgument, path: model.file.path, detail: "sequence \(index) is empty")
            }
            guard sequence.count <= capacity else {
                throw LlamaError(.contextOverflow(needed: sequence.count, context: capacity), path: model.file.path,
                                 detail: "sequence \(index) has \(sequence.count) tokens; the packing capacity is \(capacity)")
            }
            for t in sequence where t < 0 || Int(t) >= config.vocabularySize {
                throw LlamaError(.tokenOutOfRange(token: t, vocabulary: config.vocabularySize), path: model.file.path,
                                 detail: "sequence \(index): token id \(t) is outside the vocabulary 0..<\(config.vocabularySize)")
            }
        }
        var results: [[Float]] = []
        results.reserveCapacity(sequences.count)
        var first = 0
        while first < sequences.count {
            var end = first, rows = 0
            while end < sequences.count, rows + sequences[end].count <= capacity {
                rows += sequences[end].count
                end += 1
            }
            results += pass(Array(sequences[first..<end]), pooling: pooling, captureLayer: layer ?? -1)
            first = end
        }
        return results
    }

    /// One forward pass over `sequences` packed back to back (their total length fits).
    private func pass(_ sequences: [[Int32]], pooling: Pooling, captureLayer: Int) -> [[Float]] {
        let c = config, b = buffers, d = c.embeddingWidth
        let pairs = c.ropeDimensions / 2
        // Row i belongs to the sequence starting at row sequenceStart[i].
        var sequenceStart: [Int] = []
        var row = 0
        for sequence in sequences {
            for (position, token) in sequence.enumerated() {
                model.tokenEmbedding.dequantiseRow(Int(token), into: b.x + row * d)
                VectorOps.ropeAngles(position: position, dimensions: c.ropeDimensions, base: c.ropeFrequencyBase,
                                     cosines: b.cosines + row * pairs, sines: b.sines + row * pairs)
                sequenceStart.append(row - position)
                row += 1
            }
        }
        let n = row
        var states = b.x
        for (l, weights) in model.layers.enumerated() {
            attentionBlock(weights: weights, rows: n, sequenceStart: sequenceStart)
            feedForwardBlock(weights: weights, rows: n)
            if l == captureLayer { break }
        }
        if captureLayer == -1 {
            for i in 0..<n {
                VectorOps.rmsNorm(b.x + i * d, gain: model.outputNorm, epsilon: c.rmsEpsilon, into: b.normed + i * d, d)
            }
            states = b.normed
        }
        var results: [[Float]] = []
        results.reserveCapacity(sequences.count)
        var start = 0
        for sequence in sequences {
            var pooled = [Float](repeating: 0, count: d)
            pooled.withUnsafeMutableBufferPointer { p in
                switch pooling {
                case .mean:
                    for i in start..<(start + sequence.count) {
                        VectorOps.addScaled(p.baseAddress!, 1 / Float(sequence.count), states + i * d, d)
                    }
                case .last:
                    p.baseAddress!.update(from: states + (start + sequence.count - 1) * d, count: d)
                }
            }
            var norm: Float = 0
            for v in pooled { norm += v * v }
            let inverse = norm > 0 ? 1 / norm.squareRoot() : 0
            results.append(pooled.map { $0 * inverse })
            start += sequence.count
        }
        return results
    }

    private var kernels: LayerKernels {
        var kernels = LayerKernels(config: config, buffers: buffers, pool: pool, blasThreshold: blasThreshold)
        kernels.q4_1AlwaysInteger = false
        return kernels
    }

    private func attentionBlock(weights: LayerWeights, rows n: Int, sequenceStart: [Int]) {
        let c = config, b = buffers, kv = c.kvWidth, hd = c.headWidth
        let qWidth = c.headCount * hd
        let acts = kernels.queryKeyValue(weights: weights, rows: n)
        for i in 0..<n {
            // The session's cache holds keys and values in f16: round them the same way.
            for j in 0..<kv {
                b.key[i * kv + j] = Float(Float16(b.key[i * kv + j]))
                b.value[i * kv + j] = Float(Float16(b.value[i * kv + j]))
            }
        }
        let headsPerKV = c.headCount / c.kvHeadCount
        let scale = 1 / Float(hd).squareRoot()
        let context = capacity
        nonisolated(unsafe) let buf = b
        pool.forEachChunk(n * c.headCount) { worker, items in
            let scores = buf.scores + worker * context
            for item in items {
                let i = item / c.headCount, h = item % c.headCount
                let kvh = h / headsPerKV
                let q = buf.query + i * qWidth + h * hd
                for e in 0..<hd { q[e] = Float(Float16(q[e])) }
                // Block-diagonal causal mask: only this sequence's rows up to this one.
                let first = sequenceStart[i], visible = i - first + 1
                for j in 0..<visible {
                    scores[j] = VectorOps.dot(q, buf.key + (first + j) * kv + kvh * hd, hd) * scale
                }
                VectorOps.softmax(scores, visible)
                for j in 0..<visible { scores[j] = Float(Float16(scores[j])) }
                let out = buf.attention + i * qWidth + h * hd
                out.initialize(repeating: 0, count: hd)
                for j in 0..<visible {
                    VectorOps.addScaled(out, scores[j], buf.value + (first + j) * kv + kvh * hd, hd)
                }
            }
        }
        kernels.attentionOutput(weights: weights, rows: n, activations: acts)
    }

    private func feedForwardBlock(weights: LayerWeights, rows n: Int) {
        kernels.feedForward(weights: weights, rows: n)
    }
}
