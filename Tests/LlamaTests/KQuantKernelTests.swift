import CLlamaKernels
import Support
import Testing
@testable import Llama

/// The C K-quant kernels (every instruction-set variant this CPU has) against the plain
/// reference: dequantised rows dotted, in Double, with the activations as the integer kernels
/// see them (8-bit values times their super-block scale).
@Suite("K-quant C kernels")
struct KQuantKernelTests {
    static let variants = Array(0...Int(lk_supported_level()))

    /// Runs `format`'s kernel at `level` over `rows` rows from `first` and tokens `tokens`.
    static func run(_ format: WeightFormat, level: Int, weights: [UInt8], first: Int, rows: Int, columns: Int,
                    _ a: QuantisedActivations, tokens: Range<Int>, outputStride: Int) -> [Float] {
        var out = [Float](repeating: .nan, count: tokens.count * outputStride)
        let supers = columns / 256, rowBytes = format.rowBytes(columns)
        weights.withUnsafeBytes { raw in
            let w = raw.baseAddress! + first * rowBytes
            let q = a.superValues + 256 * supers * tokens.lowerBound, scale = a.superScale + supers * tokens.lowerBound
            let sums = a.groupSum + 16 * supers * tokens.lowerBound
            if format == .q4_K {
                lk_q4k_q8k_level(Int32(level), w, rowBytes, rows, q, scale, sums, supers, tokens.count, &out, outputStride)
            } else {
                lk_q6k_q8k_level(Int32(level), w, rowBytes, rows, q, scale, sums, supers, tokens.count, &out, outputStride)
            }
        }
        return out
    }

    @Test(arguments: [WeightFormat.q4_K, .q6_K], variants)
    func batchMatchesReference(format: WeightFormat, level: Int) {
        var rng = SplitMix64(seed: 777 &+ UInt64(format.rawValue) &* 31 &+ UInt64(level))
        // 37 rows: two full tiles of 16 and a partial one; 9 tokens: two groups of four and one left.
        let rows = 37, columns = 768, tokens = 9
        let weights = (0..<rows).flatMap { _ in randomRow(format, columns: columns, &rng) }
        var x = (0..<(tokens * columns)).map { _ in Float.random(in: -2...2, using: &rng) }
        // A super-block of zeros (scale 0) and one with an outlier, as real activations have.
        for i in 0..<256 { x[columns + i] = 0 }
        x[2 * columns + 300] = 900
        let acts = QuantisedActivations(width: columns, capacity: tokens)
        x.withUnsafeBufferPointer { acts.load($0.baseAddress!, rows: tokens) }
        acts.prepare(for: format)
        let seen = acts.roundTripped(for: format)
        let out = Self.run(format, level: level, weights: weights, first: 0, rows: rows, columns: columns,
                           acts, tokens: 0..<tokens, outputStride: rows + 3)
        for r in 0..<rows {
            let w = dequantised(Array(weights[(r * format.rowBytes(columns))..<((r + 1) * format.rowBytes(columns))]),
                                format, columns: columns)
            for t in 0..<tokens {
                var ref = 0.0, magnitude = 0.0
                for i in 0..<columns {
                    let p = Double(w[i]) * Double(seen[t * columns + i])
                    ref += p; magnitude += abs(p)
                }
                let got = Double(out[t * (rows + 3) + r])
                #expect(abs(got - ref) <= 1e-5 * magnitude + 1e-6,
                        "\(format) level \(level) row \(r) token \(t): \(got) vs reference \(ref)")
            }
        }
        // Four-token groups and single tokens, whole tiles and single rows: the same floats, so
        // a batch reproduces token-by-token decoding exactly.
        for t in 0..<tokens {
            for r in [0, 15, 16, 36] {
                let single = Self.run(format, level: level, weights: weights, first: r, rows: 1, columns: columns,
                                      acts, tokens: t..<(t + 1), outputStride: 1)
                #expect(single[0] == out[t * (rows + 3) + r], "\(format) level \(level) row \(r) token \(t)")
            }
        }
    }
}

/// The C Q8_K activation quantiser (each variant) against the plain Swift one, exactly: the
/// kernels' results and llama.cpp parity depend on every rounding.
@Suite("Q8_K activation quantiser")
struct ActivationQuantiserTests {
    @Test(arguments: KQuantKernelTests.variants)
    func matchesReferenceExactly(level: Int) {
        var rng = SplitMix64(seed: 31337 &+ UInt64(level))
        // 1600 values: six full super-blocks and a zero-padded partial one.
        let width = 1600, rows = 3
        var x = (0..<(rows * width)).map { _ in Float.random(in: -3...3, using: &rng) }
        for i in 0..<256 { x[256 + i] = 0 }                 // all zeros
        x[600] = -7; x[610] = 7                               // tie in magnitude: the first wins
        x[width + 40] = 1e-30                                 // tiny
        for i in 0..<256 { x[2 * width + 512 + i] = Float(i % 5) * 0.5 - 1 }  // exact halves
        let supers = (width + 255) / 256
        var q = [Int8](repeating: 1, count: rows * 256 * supers)
        var scales = [Float](repeating: .nan, count: rows * supers)
        var sums = [Int16](repeating: 1, count: rows * 16 * supers)
        lk_quantise_q8k_level(Int32(level), x, rows, width, &q, &scales, &sums)
        for r in 0..<rows {
            let reference = QuantisedActivations.referenceSuperBlocks(Array(x[(r * width)..<((r + 1) * width)]))
            #expect(Array(q[(r * 256 * supers)..<((r + 1) * 256 * supers)]) == reference.values, "level \(level) row \(r)")
            #expect(Array(scales[(r * supers)..<((r + 1) * supers)]) == reference.scales, "level \(level) row \(r)")
            #expect(Array(sums[(r * 16 * supers)..<((r + 1) * 16 * supers)]) == reference.sums, "level \(level) row \(r)")
        }
    }
}
