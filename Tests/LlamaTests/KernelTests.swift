import Foundation
import Support
import Testing
@testable import Llama

/// Random packed rows: random bytes everywhere, then sane half-precision scales written over
/// the scale fields (random bytes there would make infinities and NaNs).
func randomRow(_ format: WeightFormat, columns: Int, _ rng: inout SplitMix64) -> [UInt8] {
    var bytes = (0..<format.rowBytes(columns)).map { _ in UInt8.random(in: 0...255, using: &rng) }
    func putHalf(_ value: Float, at offset: Int) {
        let bits = Float16(value).bitPattern
        bytes[offset] = UInt8(bits & 0xFF)
        bytes[offset + 1] = UInt8(bits >> 8)
    }
    for b in 0..<(columns / format.blockValues) {
        let o = b * format.blockBytes
        switch format {
        case .q8_0, .q4_0: putHalf(Float.random(in: 0.001...0.05, using: &rng), at: o)
        case .q4_1:
            putHalf(Float.random(in: 0.001...0.05, using: &rng), at: o)
            putHalf(Float.random(in: -0.3...0.3, using: &rng), at: o + 2)
        case .q4_K:
            putHalf(Float.random(in: 0.0001...0.002, using: &rng), at: o)
            putHalf(Float.random(in: 0.0001...0.002, using: &rng), at: o + 2)
        case .q6_K: putHalf(Float.random(in: 0.0001...0.002, using: &rng), at: o + 208)
        case .f16:
            putHalf(Float.random(in: -1...1, using: &rng), at: o)
        case .f32:
            let bits = Float.random(in: -1...1, using: &rng).bitPattern
            for k in 0..<4 { bytes[o + k] = UInt8((bits >> (8 * UInt32(k))) & 0xFF) }
        }
    }
    return bytes
}

func dequantised(_ bytes: [UInt8], _ format: WeightFormat, columns: Int) -> [Float] {
    var out = [Float](repeating: 0, count: columns)
    bytes.withUnsafeBytes { raw in
        out.withUnsafeMutableBufferPointer {
            ReferenceKernels.dequantise(raw.baseAddress!, format: format, count: columns, into: $0.baseAddress!)
        }
    }
    return out
}

@Suite("Quantised kernels")
struct KernelTests {
    static let formats: [WeightFormat] = [.q8_0, .q4_0, .q4_1, .q4_K, .q6_K, .f16, .f32]

    /// The reference dequantiser against values worked out by hand from the block layouts.
    @Test func referenceDequantisationByHand() {
        // q4_1: d = 0.5, m = -1; byte 0x4B → element 0 = 0xB·0.5−1 = 4.5, element 16 = 4·0.5−1 = 1.
        var q41 = [UInt8](repeating: 0, count: 20)
        q41[0] = 0x00; q41[1] = 0x38  // 0.5
        q41[2] = 0x00; q41[3] = 0xBC  // -1.0
        q41[4] = 0x4B
        let v41 = dequantised(q41, .q4_1, columns: 32)
        #expect(v41[0] == 4.5 && v41[16] == 1 && v41[1] == -1)
        // q4_0: d = 2; byte 0x09 → element 0 = (9−8)·2 = 2, element 16 = (0−8)·2 = −16.
        var q40 = [UInt8](repeating: 0, count: 18)
        q40[1] = 0x40; q40[2] = 0x09
        let v40 = dequantised(q40, .q4_0, columns: 32)
        #expect(v40[0] == 2 && v40[16] == -16)
        // q6_K: d = 1, scale[0] = 3, scale[2] = −2; ql[0] = 0x21, qh[0] = 0b0000_0110.
        // element 0: low nibble 1 | (qh bits 0–1 = 2)<<4 = 33 → (33−32)·3 = 3;
        // element 32: ql[32] = 0 | (bits 2–3 = 1)<<4 = 16 → (16−32)·(−2) = 32;
        // element 64: high nibble 2 | (bits 4–5 = 0) = 2 → (2−32)·scale[4] = (−30)·0 = 0.
        var q6 = [UInt8](repeating: 0, count: 210)
        q6[0] = 0x21; q6[128] = 0b0000_0110
        q6[192] = 3; q6[194] = UInt8(bitPattern: -2)
        q6[208] = 0x00; q6[209] = 0x3C
        let v6 = dequantised(q6, .q6_K, columns: 256)
        #expect(v6[0] == 3 && v6[32] == 32 && v6[64] == 0)
        // q4_K: d = 1, dmin = 1; sub-block 0 scale 2 min 1, sub-block 1 scale 3 min 0;
        // sub-block 4 (packed in bytes 8 and 0/4's top bits): scale = (b8 & 15) | (b0>>6)<<4.
        var q4k = [UInt8](repeating: 0, count: 144)
        q4k[0] = 0x3C; q4k[2] = 0x00; q4k[3] = 0x3C; q4k[1] = 0x00
        q4k[0] = 0x00; q4k[1] = 0x3C  // d = 1
        q4k[2] = 0x00; q4k[3] = 0x3C  // dmin = 1
        q4k[4 + 0] = 2 | (1 << 6)     // scale0 = 2, top bits feed scale4's high bits (1<<4)
        q4k[4 + 1] = 3                // scale1 = 3
        q4k[4 + 4] = 1                // min0 = 1
        q4k[4 + 8] = 0x05             // scale4 low nibble 5 → scale4 = 5 | 16 = 21, min4 = 0
        q4k[16] = 0x57                // element 0 nibble 7, element 32 nibble 5
        q4k[16 + 64] = 0x01           // chunk 2 (sub-block 4), element 128 nibble 1
        let v4k = dequantised(q4k, .q4_K, columns: 256)
        #expect(v4k[0] == 2 * 7 - 1 && v4k[32] == 3 * 5 && v4k[128] == 21 * 1)
    }

    /// Integer kernels against the f32 reference on dequantised *activations*: both compute
    /// the same sum, so only f32 rounding (and the f16-rounded Q4_1 offset term) separates them.
    @Test(arguments: [WeightFormat.q8_0, .q4_0, .q4_1, .q4_K, .q6_K, .f16, .f32])
    func fastDotMatchesReferenceOnQuantisedActivations(format: WeightFormat) {
        var rng = SplitMix64(seed: UInt64(format.rawValue) &+ 17)
        let columns = 1536
        for _ in 0..<20 {
            let row = randomRow(format, columns: columns, &rng)
            let x = (0..<columns).map { _ in Float.random(in: -2...2, using: &rng) }
            let acts = QuantisedActivations(width: columns)
            x.withUnsafeBufferPointer { acts.load($0.baseAddress!, rows: 1) }
            acts.prepare(for: format)
            // The activations the integer kernel actually sees.
            var xq = x
            var offsetSlack: Float = 0
            let w = dequantised(row, format, columns: columns)
            if format.usesSuperBlocks {
                for i in 0..<columns { xq[i] = acts.superScale[i / 256] * Float(acts.superValues[i]) }
            } else if format != .f16 && format != .f32 {
                for i in 0..<columns { xq[i] = acts.blockScale[i / 32] * Float(acts.blockValues[i]) }
                if format == .q4_1 {
                    for b in 0..<(columns / 32) {
                        let exact = acts.blockScale[b] * Float(acts.blockSum[b])
                        let m = row.withUnsafeBytes { HalfFloat.load($0.baseAddress! + 20 * b, 2) }
                        offsetSlack += abs(m) * abs(exact - acts.blockScaledSum[b])
                    }
                }
            }
            var ref = 0.0, magnitude = 0.0
            for i in 0..<columns { ref += Double(w[i]) * Double(xq[i]); magnitude += Double(abs(w[i] * xq[i])) }
            let fast = row.withUnsafeBytes { QuantisedDot.dot($0.baseAddress!, format: format, acts, row: 0) }
            let tolerance = 1e-5 * magnitude + Double(offsetSlack) * 1.01 + 1e-6
            #expect(abs(Double(fast) - ref) <= tolerance, "\(format): fast \(fast) ref \(ref) tol \(tolerance)")
        }
    }

    /// Integer kernels against the plain reference (dequantise → f32 dot) on the *original*
    /// activations. The gap is the 8-bit activation quantisation: at most half a step per value,
    /// i.e. Σ|wᵢ|·dᵢ/2 with dᵢ the block's step, plus the f16 rounding of the step (2⁻¹¹ relative).
    @Test(arguments: [WeightFormat.q8_0, .q4_0, .q4_1, .q4_K, .q6_K])
    func fastDotWithinActivationQuantisationBound(format: WeightFormat) {
        var rng = SplitMix64(seed: UInt64(format.rawValue) &+ 99)
        let columns = 2048
        for _ in 0..<20 {
            let row = randomRow(format, columns: columns, &rng)
            let x = (0..<columns).map { _ in Float.random(in: -3...3, using: &rng) }
            let reference = row.withUnsafeBytes { raw in
                x.withUnsafeBufferPointer { ReferenceKernels.dot(raw.baseAddress!, format: format, $0.baseAddress!, count: columns) }
            }
            let acts = QuantisedActivations(width: columns)
            x.withUnsafeBufferPointer { acts.load($0.baseAddress!, rows: 1) }
            let fast = row.withUnsafeBytes { QuantisedDot.dot($0.baseAddress!, format: format, acts.prepared(format), row: 0) }
            let w = dequantised(row, format, columns: columns)
            let group = format.usesSuperBlocks ? 256 : 32
            var bound = 0.0
            for g in 0..<(columns / group) {
                let slice = x[(g * group)..<((g + 1) * group)]
                let step = Double(slice.map { abs($0) }.max()!) / 127
                for i in (g * group)..<((g + 1) * group) {
                    bound += Double(abs(w[i])) * (step / 2 + Double(abs(x[i])) * 0x1p-10)
                }
            }
            #expect(abs(Double(fast - reference)) <= bound * 1.001 + 1e-5, "\(format): fast \(fast) ref \(reference) bound \(bound)")
            // The bound is loose by construction; the errors are random-signed, so typically far smaller.
            #expect(abs(Double(fast - reference)) <= bound * 0.25 + 1e-4)
        }
    }

    /// The integer half-to-float widening of block scales against F16C's, for every finite
    /// half (subnormals included: Qwen's Q6_K scales are often subnormal).
    @Test func scaleWideningIsExactForEveryFiniteHalf() {
        var mismatches: [UInt16] = []
        for bits in UInt16.min...UInt16.max {
            let half = Float16(bitPattern: bits)
            guard half.isFinite else { continue }
            var stored = bits
            let widened = withUnsafeBytes(of: &stored) { HalfFloat.loadScale($0.baseAddress!) }
            if widened.bitPattern != Float(half).bitPattern { mismatches.append(bits) }
        }
        #expect(mismatches.isEmpty, "first mismatching halves: \(mismatches.prefix(5))")
    }

    /// Every index is visited exactly once, whatever the count and chunking.
    @Test(arguments: [1, 7, 16, 100, 576, 49152])
    func poolChunksCoverEveryIndexOnce(count: Int) {
        let pool = WorkerPool(threadCount: 2)
        let visits = UnsafeMutablePointer<Int32>.allocate(capacity: count)
        visits.initialize(repeating: 0, count: count)
        defer { visits.deallocate() }
        nonisolated(unsafe) let v = visits
        for granularity in [1, 16] {
            pool.forEachChunk(count, granularity: granularity) { _, range in
                for i in range { v[i] += 1 }
            }
        }
        #expect((0..<count).allSatisfy { visits[$0] == 2 })
    }

    /// The tile dequantiser used by the sgemm path reproduces the reference exactly.
    @Test(arguments: [WeightFormat.q8_0, .q4_0, .q4_1, .q4_K, .q6_K, .f16, .f32])
    func fastDequantisationMatchesReference(format: WeightFormat) {
        var rng = SplitMix64(seed: 77 &+ UInt64(format.rawValue))
        let columns = 512, rows = 3
        let bytes = (0..<rows).flatMap { _ in randomRow(format, columns: columns, &rng) }
        bytes.withUnsafeBytes { raw in
            let m = PackedMatrix(base: raw.baseAddress!, format: format, rows: rows, columns: columns)
            var fast = [Float](repeating: 0, count: columns), ref = fast
            for r in 0..<rows {
                fast.withUnsafeMutableBufferPointer { m.dequantiseRowFast(r, into: $0.baseAddress!) }
                ref.withUnsafeMutableBufferPointer { m.dequantiseRow(r, into: $0.baseAddress!) }
                #expect(fast == ref)
            }
        }
    }

    /// Parallel integer, sgemm and reference matrix products agree on a random matrix and batch.
    @Test(arguments: [WeightFormat.q4_1, .q4_K])
    func matrixProductsAgree(format: WeightFormat) {
        var rng = SplitMix64(seed: 4242)
        let rows = 96, columns = 512, tokens = 5
        let bytes = (0..<rows).flatMap { _ in randomRow(format, columns: columns, &rng) }
        let x = (0..<(tokens * columns)).map { _ in Float.random(in: -1...1, using: &rng) }
        let pool = WorkerPool(threadCount: 2)
        var viaInt = [Float](repeating: 0, count: tokens * rows)
        var viaBLAS = viaInt, viaRef = viaInt
        var scratch = [Float](repeating: 0, count: 2 * 32 * columns)
        bytes.withUnsafeBytes { raw in
            let w = PackedMatrix(base: raw.baseAddress!, format: format, rows: rows, columns: columns)
            x.withUnsafeBufferPointer { xp in
                let acts = QuantisedActivations(width: columns, capacity: tokens)
                acts.load(xp.baseAddress!, rows: tokens)
                MatrixProduct.multiply(w, acts, into: &viaInt, outputStride: rows, pool: pool)
                scratch.withUnsafeMutableBufferPointer { s in
                    MatrixProduct.multiplyBLAS(w, xp.baseAddress!, tokens: tokens, into: &viaBLAS, outputStride: rows,
                                               scratch: s.baseAddress!, tileRows: 32, pool: pool)
                }
                MatrixProduct.multiplyReference(w, xp.baseAddress!, tokens: tokens, into: &viaRef, outputStride: rows)
            }
        }
        // The threaded batch product must reproduce the single-row kernel exactly (same
        // arithmetic, only split differently); its accuracy is covered by the dot tests above.
        var single = [Float](repeating: 0, count: tokens * rows)
        bytes.withUnsafeBytes { raw in
            x.withUnsafeBufferPointer { xp in
                for t in 0..<tokens {
                    let acts = QuantisedActivations(width: columns)
                    acts.load(xp.baseAddress! + t * columns, rows: 1)
                    acts.prepare(for: format)
                    for r in 0..<rows {
                        single[t * rows + r] = QuantisedDot.dot(raw.baseAddress! + r * format.rowBytes(columns), format: format, acts, row: 0)
                    }
                }
            }
        }
        #expect(viaInt == single)
        for i in 0..<(tokens * rows) {
            #expect(abs(viaBLAS[i] - viaRef[i]) <= 1e-4 * max(1, abs(viaRef[i])))
        }
    }

    /// The fused decoding product (gate, up and SiLU(gate)·up per chunk of rows) against the
    /// plain reference: dequantised rows dotted with the activations as the integer kernels see
    /// them, then the activation written out by hand.
    @Test(arguments: [WeightFormat.q4_1, .q8_0, .q4_K, .q6_K])
    func fusedSwiGLUMatchesReference(format: WeightFormat) {
        var rng = SplitMix64(seed: 555 &+ UInt64(format.rawValue))
        let rows = 80, columns = 512, tokens = 3
        let gate = (0..<rows).flatMap { _ in randomRow(format, columns: columns, &rng) }
        let up = (0..<rows).flatMap { _ in randomRow(format, columns: columns, &rng) }
        let x = (0..<(tokens * columns)).map { _ in Float.random(in: -1...1, using: &rng) }
        let pool = WorkerPool(threadCount: 2)
        var fused = [Float](repeating: 0, count: tokens * rows)
        let acts = QuantisedActivations(width: columns, capacity: tokens)
        x.withUnsafeBufferPointer { acts.load($0.baseAddress!, rows: tokens) }
        gate.withUnsafeBytes { g in
            up.withUnsafeBytes { u in
                let gm = PackedMatrix(base: g.baseAddress!, format: format, rows: rows, columns: columns)
                let um = PackedMatrix(base: u.baseAddress!, format: format, rows: rows, columns: columns)
                MatrixProduct.multiplySwiGLU(gate: gm, up: um, acts, into: &fused, pool: pool)
            }
        }
        let seen = acts.roundTripped(for: format)
        for t in 0..<tokens {
            for r in 0..<rows {
                let wg = dequantised(Array(gate[(r * format.rowBytes(columns))..<((r + 1) * format.rowBytes(columns))]), format, columns: columns)
                let wu = dequantised(Array(up[(r * format.rowBytes(columns))..<((r + 1) * format.rowBytes(columns))]), format, columns: columns)
                var g = 0.0, u = 0.0, magnitude = 0.0
                for i in 0..<columns {
                    let xi = Double(seen[t * columns + i])
                    g += Double(wg[i]) * xi; u += Double(wu[i]) * xi
                    magnitude += abs(Double(wg[i]) * xi) + abs(Double(wu[i]) * xi)
                }
                let expected = g / (1 + Foundation.exp(-g)) * u
                // f32 summation plus, for Q4_1, the f16-rounded offset term (≤ 2⁻¹¹ of |m|·|Σx|).
                let tolerance = 2e-5 * magnitude * max(1, abs(u) + abs(g)) + 1e-4
                #expect(abs(Double(fused[t * rows + r]) - expected) <= tolerance,
                        "\(format) token \(t) row \(r): fused \(fused[t * rows + r]) reference \(expected)")
            }
        }
    }
}

extension QuantisedActivations {
    func prepared(_ format: WeightFormat) -> QuantisedActivations { prepare(for: format); return self }
}
