import CLlamaKernels
import Testing
@testable import Llama

/// The row-interleaved Q4_K layout and its kernels (`lk_q4k_interleave`,
/// `lk_q4k_q8k_interleaved`): every variant against the dequantise-then-f32 reference in
/// Double, and bit for bit against the plain-row SIMD kernels, which they must reproduce so that
/// interleaving changes no model output.
@Suite("Interleaved Q4_K")
struct InterleavedQ4KTests {
    /// 48 rows (three tiles), 3 super-blocks, 11 tokens: one group of 8 and three single tokens.
    static let rows = 48, columns = 768, tokens = 11

    static func fixture(seed: UInt64) -> (weights: [UInt8], interleaved: [UInt8], acts: QuantisedActivations) {
        var rng = SeededGenerator(state: seed)
        let weights = (0..<rows).flatMap { _ in randomRow(.q4_K, columns: columns, &rng) }
        var x = (0..<(tokens * columns)).map { _ in Float.random(in: -2...2, using: &rng) }
        for i in 0..<256 { x[columns + i] = 0 }      // a super-block of zeros (scale 0)
        x[2 * columns + 300] = 900                    // and an outlier
        let acts = QuantisedActivations(width: columns, capacity: tokens)
        x.withUnsafeBufferPointer { acts.load($0.baseAddress!, rows: tokens) }
        acts.prepare(for: .q4_K)
        var interleaved = [UInt8](repeating: 0xAA, count: weights.count)
        weights.withUnsafeBytes { w in
            interleaved.withUnsafeMutableBytes { lk_q4k_interleave(w.baseAddress!, rows, columns / 256, $0.baseAddress!) }
        }
        return (weights, interleaved, acts)
    }

    /// Rows `firstTile·16 ..< firstTile·16 + count` through the interleaved kernel at `level`.
    static func run(level: Int, _ interleaved: [UInt8], firstTile: Int, count: Int, _ a: QuantisedActivations,
                    tokens: Range<Int>, outputStride: Int) -> [Float] {
        var out = [Float](repeating: .nan, count: tokens.count * outputStride)
        let supers = columns / 256, t0 = tokens.lowerBound
        interleaved.withUnsafeBytes { raw in
            lk_q4k_q8k_interleaved_level(Int32(level), raw.baseAddress! + firstTile * 16 * 144 * supers, count,
                                         a.superValues + 256 * supers * t0, a.superScale + supers * t0,
                                         a.groupSum + 16 * supers * t0, supers, tokens.count, &out, outputStride)
        }
        return out
    }

    @Test(arguments: KQuantKernelTests.variants)
    func matchesReferenceAndPlainRows(level: Int) {
        let (weights, interleaved, acts) = Self.fixture(seed: 2024 &+ UInt64(level))
        let rows = Self.rows, columns = Self.columns, tokens = Self.tokens, stride = rows + 5
        let out = Self.run(level: level, interleaved, firstTile: 0, count: rows, acts, tokens: 0..<tokens, outputStride: stride)
        let seen = acts.roundTripped(for: .q4_K)
        let rowBytes = WeightFormat.q4_K.rowBytes(columns)
        for r in 0..<rows {
            let w = dequantised(Array(weights[(r * rowBytes)..<((r + 1) * rowBytes)]), .q4_K, columns: columns)
            for t in 0..<tokens {
                var ref = 0.0, magnitude = 0.0
                for i in 0..<columns {
                    let p = Double(w[i]) * Double(seen[t * columns + i])
                    ref += p; magnitude += abs(p)
                }
                let got = Double(out[t * stride + r])
                #expect(abs(got - ref) <= 1e-5 * magnitude + 1e-6, "level \(level) row \(r) token \(t): \(got) vs \(ref)")
            }
        }
        // The plain-row SIMD kernels take the same integer totals and float steps (the portable
        // plain-row kernel rounds its own way, so compare with the best SIMD level there is).
        if lk_supported_level() >= 1 {
            let plain = KQuantKernelTests.run(.q4_K, level: Int(lk_supported_level()), weights: weights, first: 0, rows: rows,
                                              columns: columns, acts, tokens: 0..<tokens, outputStride: stride)
            for t in 0..<tokens {
                for r in 0..<rows {
                    #expect(out[t * stride + r] == plain[t * stride + r], "level \(level) row \(r) token \(t)")
                }
            }
        }
        // A tile from the middle and single tokens: the same floats as the whole batch.
        for t in [0, 7, 8, 10] {
            let part = Self.run(level: level, interleaved, firstTile: 1, count: 16, acts, tokens: t..<(t + 1), outputStride: 16)
            for i in 0..<16 { #expect(part[i] == out[t * stride + 16 + i], "level \(level) tile 1 row \(i) token \(t)") }
        }
    }

    /// Through `MatrixProduct` (threads, fused Q/K/V-style dispatch): a matrix with its
    /// interleaved copy attached gives exactly what the plain rows give.
    @Test func matrixProductsUseInterleavedCopyExactly() {
        let (weights, interleaved, _) = Self.fixture(seed: 99)
        let rows = Self.rows, columns = Self.columns, tokens = Self.tokens
        var rng = SeededGenerator(state: 7)
        let x = (0..<(tokens * columns)).map { _ in Float.random(in: -1...1, using: &rng) }
        let pool = WorkerPool(threadCount: 2)
        var plain = [Float](repeating: 0, count: tokens * rows), viaCopy = plain
        var fusedPlain = [Float](repeating: 0, count: 2 * tokens * rows), fusedCopy = fusedPlain
        weights.withUnsafeBytes { w in
            interleaved.withUnsafeBytes { il in
                x.withUnsafeBufferPointer { xp in
                    let a = QuantisedActivations(width: columns, capacity: tokens)
                    a.load(xp.baseAddress!, rows: tokens)
                    let m = PackedMatrix(base: w.baseAddress!, format: .q4_K, rows: rows, columns: columns)
                    let c = PackedMatrix(base: w.baseAddress!, format: .q4_K, rows: rows, columns: columns, interleaved: il.baseAddress!)
                    MatrixProduct.multiply(m, a, into: &plain, outputStride: rows, pool: pool)
                    MatrixProduct.multiply(c, a, into: &viaCopy, outputStride: rows, pool: pool)
                    fusedPlain.withUnsafeMutableBufferPointer { f in
                        MatrixProduct.multiplyFused((m, f.baseAddress!), (m, f.baseAddress! + tokens * rows), activations: a, pool: pool)
                    }
                    fusedCopy.withUnsafeMutableBufferPointer { f in
                        MatrixProduct.multiplyFused((c, f.baseAddress!), (c, f.baseAddress! + tokens * rows), activations: a, pool: pool)
                    }
                }
            }
        }
        #expect(plain == viaCopy)
        #expect(fusedPlain == fusedCopy)
    }
}
