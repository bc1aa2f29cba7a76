import CLlamaKernels
import Foundation
import Support
import Testing
@testable import Llama

/// The row-interleaved Q4_K and Q6_K layouts and their kernels (`lk_q4k_interleave`,
/// `lk_q4k_q8k_interleaved`, and the Q6_K pair): every variant against the
/// dequantise-then-f32 reference in Double, and bit for bit against the plain-row SIMD kernels,
/// which they must reproduce so that interleaving changes no model output.
@Suite("Interleaved K-quants")
struct InterleavedKQuantTests {
    /// 48 rows (three tiles), 3 super-blocks, 11 tokens: one group of 8 and three single tokens.
    static let rows = 48, columns = 768, tokens = 11

    static func fixture(_ format: WeightFormat, seed: UInt64) -> (weights: [UInt8], interleaved: [UInt8], acts: QuantisedActivations) {
        var rng = SplitMix64(seed: seed)
        let weights = (0..<rows).flatMap { _ in randomRow(format, columns: columns, &rng) }
        var x = (0..<(tokens * columns)).map { _ in Float.random(in: -2...2, using: &rng) }
        for i in 0..<256 { x[columns + i] = 0 }      // a super-block of zeros (scale 0)
        x[2 * columns + 300] = 900                    // and an outlier
        let acts = QuantisedActivations(width: columns, capacity: tokens)
        x.withUnsafeBufferPointer { acts.load($0.baseAddress!, rows: tokens) }
        acts.prepare(for: format)
        var interleaved = [UInt8](repeating: 0xAA, count: weights.count)
        weights.withUnsafeBytes { w in
            interleaved.withUnsafeMutableBytes {
                if format == .q4_K {
                    lk_q4k_interleave(w.baseAddress!, rows, columns / 256, $0.baseAddress!)
                } else {
                    lk_q6k_interleave(w.baseAddress!, rows, columns / 256, $0.baseAddress!)
                }
            }
        }
        return (weights, interleaved, acts)
    }

    /// Rows `firstTile·16 ..< firstTile·16 + count` through the interleaved kernel at `level`.
    static func run(_ format: WeightFormat, level: Int, _ interleaved: [UInt8], firstTile: Int, count: Int,
                    _ a: QuantisedActivations, tokens: Range<Int>, outputStride: Int) -> [Float] {
        var out = [Float](repeating: .nan, count: tokens.count * outputStride)
        let supers = columns / 256, t0 = tokens.lowerBound
        interleaved.withUnsafeBytes { raw in
            let kernel = format == .q4_K ? lk_q4k_q8k_interleaved_level : lk_q6k_q8k_interleaved_level
            kernel(Int32(level), raw.baseAddress! + firstTile * 16 * format.rowBytes(columns), count,
                   a.superValues + 256 * supers * t0, a.superScale + supers * t0,
                   a.groupSum + 16 * supers * t0, supers, tokens.count, &out, outputStride)
        }
        return out
    }

    @Test(arguments: [WeightFormat.q4_K, .q6_K], KQuantKernelTests.variants)
    func matchesReferenceAndPlainRows(format: WeightFormat, level: Int) {
        let (weights, interleaved, acts) = Self.fixture(format, seed: 2024 &+ UInt64(level) &+ UInt64(format.rawValue))
        let rows = Self.rows, columns = Self.columns, tokens = Self.tokens, stride = rows + 5
        let out = Self.run(format, level: level, interleaved, firstTile: 0, count: rows, acts, tokens: 0..<tokens, outputStride: stride)
        let seen = acts.roundTripped(for: format)
        let rowBytes = format.rowBytes(columns)
        for r in 0..<rows {
            let w = dequantised(Array(weights[(r * rowBytes)..<((r + 1) * rowBytes)]), format, columns: columns)
            for t in 0..<tokens {
                var ref = 0.0, magnitude = 0.0
                for i in 0..<columns {
                    let p = Double(w[i]) * Double(seen[t * columns + i])
                    ref += p; magnitude += abs(p)
                }
                let got = Double(out[t * stride + r])
                #expect(abs(got - ref) <= 1e-5 * magnitude + 1e-6, "\(format) level \(level) row \(r) token \(t): \(got) vs \(ref)")
            }
        }
        // The plain-row SIMD kernels take the same integer totals and float steps (the portable
        // plain-row kernel rounds its own way, so compare with the best SIMD level there is).
        if lk_supported_level() >= 1 {
            let plain = KQuantKernelTests.run(format, level: Int(lk_supported_level()), weights: weights, first: 0, rows: rows,
                                              columns: columns, acts, tokens: 0..<tokens, outputStride: stride)
            for t in 0..<tokens {
                for r in 0..<rows {
                    #expect(out[t * stride + r] == plain[t * stride + r], "\(format) level \(level) row \(r) token \(t)")
                }
            }
        }
        // A tile from the middle and single tokens: the same floats as the whole batch.
        for t in [0, 7, 8, 10] {
            let part = Self.run(format, level: level, interleaved, firstTile: 1, count: 16, acts, tokens: t..<(t + 1), outputStride: 16)
            for i in 0..<16 { #expect(part[i] == out[t * stride + 16 + i], "\(format) level \(level) tile 1 row \(i) token \(t)") }
        }
    }

    /// Through `MatrixProduct` (threads, fused Q/K/V-style dispatch): a matrix with its
    /// interleaved copy attached gives exactly what the plain rows give.
    @Test(arguments: [WeightFormat.q4_K, .q6_K])
    func matrixProductsUseInterleavedCopyExactly(format: WeightFormat) {
        let (weights, interleaved, _) = Self.fixture(format, seed: 99)
        let rows = Self.rows, columns = Self.columns, tokens = Self.tokens
        var rng = SplitMix64(seed: 7)
        let x = (0..<(tokens * columns)).map { _ in Float.random(in: -1...1, using: &rng) }
        let pool = WorkerPool(threadCount: 2)
        var plain = [Float](repeating: 0, count: tokens * rows), viaCopy = plain
        var fusedPlain = [Float](repeating: 0, count: 2 * tokens * rows), fusedCopy = fusedPlain
        weights.withUnsafeBytes { w in
            interleaved.withUnsafeBytes { il in
                x.withUnsafeBufferPointer { xp in
                    let a = QuantisedActivations(width: columns, capacity: tokens)
                    a.load(xp.baseAddress!, rows: tokens)
                    let m = PackedMatrix(base: w.baseAddress!, format: format, rows: rows, columns: columns)
                    let c = PackedMatrix(base: w.baseAddress!, format: format, rows: rows, columns: columns, interleaved: il.baseAddress!)
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

/// A whole model with and without the interleaved copies: identical logits (batch and token by
/// token), and the file's rows — released from memory after copying — still read correctly by
/// the reference path.
@Suite("Interleaved K-quants in a model")
struct InterleavedModelTests {
    @Test func interleavedModelGivesIdenticalLogits() throws {
        let synthetic = try SyntheticModel.write(architecture: "qwen2", seed: 5)
        defer { try? FileManager.default.removeItem(atPath: synthetic.path) }
        let plain = try LlamaModel(path: synthetic.path, interleave: false)
        let copied = try LlamaModel(path: synthetic.path, interleave: true)
        // The synthetic layers hold Q4_K and Q6_K matrices of whole 16-row tiles.
        let matrices = copied.layers.flatMap { [$0.query, $0.key, $0.value, $0.output, $0.gate, $0.up, $0.down] }
        let kQuants = matrices.filter { $0.format == .q4_K || $0.format == .q6_K }
        #expect(!kQuants.isEmpty && kQuants.allSatisfy { $0.interleaved != nil })
        #expect(plain.layers.allSatisfy { $0.gate.interleaved == nil && $0.down.interleaved == nil })
        let tokens: [Int32] = [1, 17, 42, 99, 5, 250, 3, 77, 8, 120, 64]
        func logits(_ model: LlamaModel, batch: Bool) throws -> [[Float]] {
            let session = try LlamaSession(model: model, contextLength: 16)
            if batch {
                try session.evaluate(tokens, logits: .all)
                return (0..<tokens.count).map { Array(session.logits(row: $0)) }
            }
            return try tokens.map { t in
                try session.evaluate([t], logits: .last)
                return Array(session.logits())
            }
        }
        #expect(try logits(plain, batch: true) == logits(copied, batch: true))
        #expect(try logits(plain, batch: false) == logits(copied, batch: false))
        #expect(ReferenceForward(model: plain).logits(tokens) == ReferenceForward(model: copied).logits(tokens))
    }
}
