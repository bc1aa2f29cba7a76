import Foundation

/// The plain forward pass: every weight row dequantised to f32 by the reference kernels,
/// activations kept in f32 (no 8-bit quantisation, no f16 cache), one token at a time, obvious
/// loops with double accumulation. Slow; it exists so that tests can check the fast path
/// against an independent computation of the same model.
public struct ReferenceForward: Sendable {
    /// The model evaluated.
    public let model: LlamaModel

    /// Evaluate with this RoPE pairing instead of the architecture's (tests use it to show that
    /// the pairing matters).
    public var ropeStyleOverride: RopeStyle?

    /// Wraps `model`.
    public init(model: LlamaModel) { self.model = model }

    /// Logits at every position of `tokens` (evaluated from position 0).
    public func logits(_ tokens: [Int32]) -> [[Float]] {
        let c = model.configuration
        let d = c.embeddingWidth, hd = c.headWidth
        var keys: [[[Float]]] = Array(repeating: [], count: c.layerCount)    // [layer][pos][kvw]
        var values: [[[Float]]] = Array(repeating: [], count: c.layerCount)
        var result: [[Float]] = []
        for (position, token) in tokens.enumerated() {
            var x = row(model.tokenEmbedding, Int(token))
            for (l, w) in model.layers.enumerated() {
                let h = rmsNorm(x, w.attentionNorm, c.rmsEpsilon)
                var q = matvec(w.query, h), k = matvec(w.key, h), v = matvec(w.value, h)
                if let bias = w.queryBias { for i in q.indices { q[i] += bias[i] } }
                if let bias = w.keyBias { for i in k.indices { k[i] += bias[i] } }
                if let bias = w.valueBias { for i in v.indices { v[i] += bias[i] } }
                for head in 0..<c.headCount { rotate(&q, offset: head * hd, position: position, c) }
                for head in 0..<c.kvHeadCount { rotate(&k, offset: head * hd, position: position, c) }
                keys[l].append(k)
                values[l].append(v)
                var attended = [Float](repeating: 0, count: c.headCount * hd)
                for head in 0..<c.headCount {
                    let kvHead = head / (c.headCount / c.kvHeadCount)
                    var scores = [Double](repeating: 0, count: position + 1)
                    for j in 0...position {
                        var s = 0.0
                        for e in 0..<hd { s += Double(q[head * hd + e]) * Double(keys[l][j][kvHead * hd + e]) }
                        scores[j] = s / Double(hd).squareRoot()
                    }
                    let top = scores.max()!
                    let exps = scores.map { exp($0 - top) }
                    let total = exps.reduce(0, +)
                    for e in 0..<hd {
                        var s = 0.0
                        for j in 0...position { s += exps[j] / total * Double(values[l][j][kvHead * hd + e]) }
                        attended[head * hd + e] = Float(s)
                    }
                }
                let o = matvec(w.output, attended)
                for i in 0..<d { x[i] += o[i] }
                let h2 = rmsNorm(x, w.feedForwardNorm, c.rmsEpsilon)
                let g = matvec(w.gate, h2), u = matvec(w.up, h2)
                var act = [Float](repeating: 0, count: g.count)
                for i in g.indices { act[i] = Float(Double(g[i]) / (1 + exp(-Double(g[i]))) * Double(u[i])) }
                let down = matvec(w.down, act)
                for i in 0..<d { x[i] += down[i] }
            }
            let final = rmsNorm(x, model.outputNorm, c.rmsEpsilon)
            result.append(matvec(model.outputHead, final))
        }
        return result
    }

    private func row(_ m: PackedMatrix, _ r: Int) -> [Float] {
        var out = [Float](repeating: 0, count: m.columns)
        out.withUnsafeMutableBufferPointer { m.dequantiseRow(r, into: $0.baseAddress!) }
        return out
    }

    private func matvec(_ m: PackedMatrix, _ x: [Float]) -> [Float] {
        x.withUnsafeBufferPointer { xp in
            (0..<m.rows).map { ReferenceKernels.dot(m.row($0), format: m.format, xp.baseAddress!, count: m.columns) }
        }
    }

    private func rmsNorm(_ x: [Float], _ gain: [Float], _ epsilon: Float) -> [Float] {
        var sum = 0.0
        for v in x { sum += Double(v) * Double(v) }
        let scale = 1 / (sum / Double(x.count) + Double(epsilon)).squareRoot()
        return x.indices.map { Float(Double(x[$0]) * scale * Double(gain[$0])) }
    }

    /// RoPE written from the definition: pair (a, b) of frequency i turns by position·base^(−2i/n).
    private func rotate(_ v: inout [Float], offset: Int, position: Int, _ c: ModelConfiguration) {
        let pairs = c.ropeDimensions / 2
        for i in 0..<pairs {
            let theta = Double(position) * pow(Double(c.ropeFrequencyBase), -2 * Double(i) / Double(c.ropeDimensions))
            let (a, b) = (ropeStyleOverride ?? c.ropeStyle) == .adjacentPairs ? (offset + 2 * i, offset + 2 * i + 1) : (offset + i, offset + i + pairs)
            let x0 = Double(v[a]), x1 = Double(v[b])
            v[a] = Float(x0 * cos(theta) - x1 * sin(theta))
            v[b] = Float(x0 * sin(theta) + x1 * cos(theta))
        }
    }
}
