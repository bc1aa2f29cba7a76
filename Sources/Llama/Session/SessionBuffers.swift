/// Scratch memory of one session, allocated once for a batch capacity so that evaluating
/// tokens allocates nothing (only the all-positions logits grow, and only when a larger batch
/// asks for them).
final class SessionBuffers {
    let batchCapacity: Int
    let x: UnsafeMutablePointer<Float>
    let normed: UnsafeMutablePointer<Float>
    let query: UnsafeMutablePointer<Float>
    let key: UnsafeMutablePointer<Float>
    let value: UnsafeMutablePointer<Float>
    let attention: UnsafeMutablePointer<Float>
    let projected: UnsafeMutablePointer<Float>
    let gate: UnsafeMutablePointer<Float>
    let up: UnsafeMutablePointer<Float>
    let cosines: UnsafeMutablePointer<Float>
    let sines: UnsafeMutablePointer<Float>
    /// Per-worker attention scores (`contextLength` each).
    let scores: UnsafeMutablePointer<Float>
    /// Per-worker attention accumulators (`4·16·headWidth` each; see `LayerKernels.attend`).
    let attentionAccumulators: UnsafeMutablePointer<Float>
    /// Per-worker dequantised weight tiles for sgemm.
    let tiles: UnsafeMutablePointer<Float>
    let tileRows: Int
    let embeddingActivations: QuantisedActivations
    let feedForwardActivations: QuantisedActivations
    var logits: UnsafeMutablePointer<Float>
    var logitRowCapacity: Int
    /// Hidden states captured for embeddings (`batchCapacity` rows).
    let hidden: UnsafeMutablePointer<Float>

    init(configuration c: ModelConfiguration, contextLength: Int, batchCapacity: Int, threads: Int) {
        self.batchCapacity = batchCapacity
        let b = batchCapacity, d = c.embeddingWidth, qWidth = c.headCount * c.headWidth
        x = .allocate(capacity: b * d)
        normed = .allocate(capacity: b * max(d, qWidth))
        query = .allocate(capacity: b * qWidth)
        key = .allocate(capacity: b * c.kvWidth)
        value = .allocate(capacity: b * c.kvWidth)
        attention = .allocate(capacity: b * qWidth)
        projected = .allocate(capacity: b * d)
        gate = .allocate(capacity: b * c.feedForwardWidth)
        up = .allocate(capacity: b * c.feedForwardWidth)
        cosines = .allocate(capacity: b * c.ropeDimensions / 2)
        sines = .allocate(capacity: b * c.ropeDimensions / 2)
        scores = .allocate(capacity: threads * contextLength)
        attentionAccumulators = .allocate(capacity: threads * 64 * c.headWidth)
        tileRows = 64
        tiles = .allocate(capacity: threads * tileRows * max(d, qWidth, c.feedForwardWidth))
        embeddingActivations = QuantisedActivations(width: d, capacity: b)
        feedForwardActivations = QuantisedActivations(width: c.feedForwardWidth, capacity: b)
        logits = .allocate(capacity: c.vocabularySize)
        logitRowCapacity = 1
        hidden = .allocate(capacity: b * d)
    }

    /// Makes room for `rows` rows of logits (grows only).
    func reserveLogits(rows: Int, vocabulary: Int) {
        guard rows > logitRowCapacity else { return }
        logits.deallocate()
        logits = .allocate(capacity: rows * vocabulary)
        logitRowCapacity = rows
    }

    deinit {
        for p in [x, normed, query, key, value, attention, projected, gate, up, cosines, sines,
                  scores, attentionAccumulators, tiles, logits, hidden] {
            p.deallocate()
        }
    }
}
