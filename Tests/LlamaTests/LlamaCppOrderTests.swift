import Foundation
import Support
import Testing
@testable import Llama

/// The kernels that sum in llama.cpp's order, against plain double-precision references: their
/// *order* is checked bit for bit against llama.cpp by the parity tests and the per-operation
/// diagnostic; here they must still compute the right thing to within f32 rounding.
@Suite("llama.cpp-order kernels")
struct LlamaCppOrderTests {
    /// Products in llama.cpp's order against the f32 reference on the activations the integer
    /// kernel sees (dequantised 8-bit values); both Q4_K orders (GEMM for batches of four, GEMV).
    @Test(arguments: [WeightFormat.q4_1, .q8_0, .q4_K, .q6_K])
    func productsMatchReference(format: WeightFormat) {
        var rng = SplitMix64(seed: UInt64(format.rawValue) &+ 101)
        let columns = 1536, tokens = 5
        for _ in 0..<10 {
            let row = randomRow(format, columns: columns, &rng)
            let w = dequantised(row, format, columns: columns)
            let x = (0..<(columns * tokens)).map { _ in Float.random(in: -2...2, using: &rng) }
            let acts = QuantisedActivations(width: columns, capacity: tokens)
            x.withUnsafeBufferPointer { acts.load($0.baseAddress!, rows: tokens) }
            acts.prepare(for: format)
            let xq = acts.roundTripped(for: format)
            let scratch = UnsafeMutableRawPointer.allocate(byteCount: columns, alignment: 32)
            defer { scratch.deallocate() }
            row.withUnsafeBytes { LlamaCppOrderProducts.unpack($0.baseAddress!, format: format, width: columns, into: scratch) }
            for t in 0..<tokens {
                var ref = 0.0, magnitude = 0.0
                for i in 0..<columns {
                    ref += Double(w[i]) * Double(xq[t * columns + i])
                    magnitude += Double(abs(w[i] * xq[t * columns + i]))
                }
                var slack = 0.0
                if format == .q4_1 {  // the f16-rounded d·Σq offset term, as ggml stores it
                    for b in 0..<(columns / 32) {
                        let exact = acts.blockScale[t * columns / 32 + b] * Float(acts.blockSum[t * columns / 32 + b])
                        let m = row.withUnsafeBytes { HalfFloat.load($0.baseAddress! + 20 * b, 2) }
                        slack += Double(abs(m) * abs(exact - acts.blockScaledSum[t * columns / 32 + b]))
                    }
                }
                let ours = row.withUnsafeBytes {
                    LlamaCppOrderProducts.dot($0.baseAddress!, format: format, acts, token: t, of: tokens, scratch: scratch)
                }
                let tolerance = 1e-5 * magnitude + 1.01 * slack + 1e-6
                #expect(abs(Double(ours) - ref) <= tolerance, "\(format) token \(t): \(ours) vs \(ref) ± \(tolerance)")
            }
        }
    }

    /// ggml's `expf` algorithm stays within 2 ulp of the true value over the whole finite range
    /// and saturates like ggml's (0 below, ∞ above).
    @Test func expWithinTwoUlp() {
        var x: Float = -87
        var worst = 0.0
        while x < 88 {
            let ours = Double(VectorOps.llamaCppExp(x)), truth = Foundation.exp(Double(x))
            worst = max(worst, abs(ours - truth) / (truth * Double(Float.ulpOfOne)))
            x += 0.0137
        }
        #expect(worst <= 2, "worst error \(worst) ulp")
        #expect(VectorOps.llamaCppExp(0) == 1)
        #expect(VectorOps.llamaCppExp(-200) == 0)
        #expect(VectorOps.llamaCppExp(200) == .infinity)
        #expect(VectorOps.llamaCppExp(-.infinity) == 0)
    }

    /// SiLU·up and softmax built on it, against double precision.
    @Test func swigluAndSoftmaxMatchDoublePrecision() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<1000 {
            let g = Float.random(in: -20...20, using: &rng), u = Float.random(in: -3...3, using: &rng)
            let truth = Double(g) / (1 + Foundation.exp(-Double(g))) * Double(u)
            #expect(abs(Double(VectorOps.swiglu(g, u)) - truth) <= 4e-7 * abs(truth) + 1e-30)
        }
        for n in [1, 15, 16, 17, 100, 256] {
            var x = (0..<n).map { _ in Float.random(in: -30...10, using: &rng) }
            let m = Double(x.max()!)
            let e = x.map { Foundation.exp(Double($0) - m) }, sum = e.reduce(0, +)
            x.withUnsafeMutableBufferPointer { VectorOps.softmax($0.baseAddress!, n) }
            for i in 0..<n { #expect(abs(Double(x[i]) - e[i] / sum) <= 1e-6 * e[i] / sum + 1e-12, "n \(n) #\(i)") }
        }
    }

    /// Both f16 dot orders against double precision (products of f16 values are exact in f32, so
    /// only the additions round).
    @Test(arguments: [64, 128, 256])
    func halfDotOrdersMatchDoublePrecision(n: Int) {
        var rng = SplitMix64(seed: UInt64(n))
        let a = (0..<n).map { _ in Float(Float16(Float.random(in: -4...4, using: &rng))) }
        let b = (0..<n).map { _ in Float16(Float.random(in: -4...4, using: &rng)) }
        var truth = 0.0, magnitude = 0.0
        for i in 0..<n { truth += Double(a[i]) * Double(b[i]); magnitude += abs(Double(a[i]) * Double(b[i])) }
        for order in [VectorOps.HalfDotOrder.tiled, .vector] {
            let ours = VectorOps.llamaCppDot(a, b, n, order: order)
            #expect(abs(Double(ours) - truth) <= Double(n) * Double(Float.ulpOfOne) * magnitude, "\(order)")
        }
    }

    /// One head's attention in both orders against double precision on the same f16 inputs,
    /// for lengths around the accumulator rows (first pass, zeroed rows, groups of 16 and 64).
    @Test(arguments: [1, 15, 16, 17, 63, 64, 65, 200])
    func attentionMatchesDoublePrecision(visible: Int) {
        var rng = SplitMix64(seed: UInt64(visible) &+ 5)
        let hd = 64
        let keys = (0..<(visible * hd)).map { _ in Float16(Float.random(in: -1...1, using: &rng)) }
        let values = (0..<(visible * hd)).map { _ in Float16(Float.random(in: -1...1, using: &rng)) }
        let query = (0..<hd).map { _ in Float.random(in: -3...3, using: &rng) }
        let scale: Float = 0.125
        // Reference: f16-rounded query, double-precision softmax and sums.
        let q = query.map { Double(Float(Float16($0))) }
        let logits = (0..<visible).map { j in (0..<hd).reduce(0.0) { $0 + q[$1] * Double(keys[j * hd + $1]) } * Double(scale) }
        let m = logits.max()!, e = logits.map { Foundation.exp($0 - m) }, sum = e.reduce(0, +)
        let truth = (0..<hd).map { d in (0..<visible).reduce(0.0) { $0 + e[$1] / sum * Double(values[$1 * hd + d]) } }
        for order in [VectorOps.HalfDotOrder.tiled, .vector] {
            var q32 = query, out = [Float](repeating: .nan, count: hd)
            var scores = [Float](repeating: 0, count: visible), acc = [Float](repeating: .nan, count: 64 * hd)
            keys.withUnsafeBufferPointer { k in
                values.withUnsafeBufferPointer { v in
                    LayerKernels.attend(query: &q32, keys: k.baseAddress!, values: v.baseAddress!, stride: hd, visible: visible,
                                        width: hd, scale: scale, order: order, scores: &scores, accumulators: &acc, into: &out)
                }
            }
            // The probabilities are rounded to f16 (2⁻¹¹ relative) as llama.cpp rounds them.
            for d in 0..<hd { #expect(abs(Double(out[d]) - truth[d]) <= 1e-3, "\(order) visible \(visible) dim \(d): \(out[d]) vs \(truth[d])") }
        }
    }

    /// RoPE's fused rotation against the plain formula in double, both styles.
    @Test func ropeMatchesPlainRotation() {
        var rng = SplitMix64(seed: 3)
        let dims = 64, pairs = 32
        var cosines = [Float](repeating: 0, count: pairs), sines = cosines
        VectorOps.ropeAngles(position: 37, dimensions: dims, base: 10000, cosines: &cosines, sines: &sines)
        for style in [RopeStyle.adjacentPairs, .halves] {
            let head = (0..<dims).map { _ in Float.random(in: -10...10, using: &rng) }
            var ours = head
            VectorOps.rope(&ours, dimensions: dims, style: style, cosines: cosines, sines: sines)
            for i in 0..<pairs {
                let (a, b) = style == .adjacentPairs ? (2 * i, 2 * i + 1) : (i, i + pairs)
                let c = Double(cosines[i]), s = Double(sines[i])
                let x0 = Double(head[a]), x1 = Double(head[b])
                #expect(abs(Double(ours[a]) - (x0 * c - x1 * s)) <= 2e-6 * (abs(x0) + abs(x1)))
                #expect(abs(Double(ours[b]) - (x0 * s + x1 * c)) <= 2e-6 * (abs(x0) + abs(x1)))
            }
        }
    }
}
