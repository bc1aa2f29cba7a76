import CVectorKernels
import Support
import Testing
@testable import VectorIndex

/// Every SIMD variant the CPU supports against the plain Double-accumulating reference.
@Suite struct DistanceKernelTests {
    static let lengths = [1, 3, 7, 8, 15, 16, 17, 31, 32, 33, 64, 100, 576, 1536]

    func randomVector(_ n: Int, _ rng: inout SplitMix64) -> [Float] {
        (0..<n).map { _ in Float(rng.nextGaussian()) }
    }

    @Test func f32KernelsMatchReference() {
        var rng = SplitMix64(seed: 1)
        for level in 0...Int(vk_supported_level()) {
            for n in Self.lengths {
                let a = randomVector(n, &rng), b = randomVector(n, &rng)
                let dot = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
                    vk_dot_f32_level(Int32(level), pa.baseAddress, pb.baseAddress, n) } }
                let l2 = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
                    vk_l2sq_f32_level(Int32(level), pa.baseAddress, pb.baseAddress, n) } }
                let refDot = ReferenceDistance.dot(a, b), refL2 = ReferenceDistance.squaredL2(a, b)
                // f32 accumulation error bound ~ n·ε·Σ|aᵢbᵢ|; use a generous multiple.
                let scale = Double(n).squareRoot() * 1e-5 * Double(n)
                #expect(abs(Double(dot) - refDot) <= scale, "dot level \(level) n \(n): \(dot) vs \(refDot)")
                #expect(abs(Double(l2) - refL2) <= scale * 2, "l2 level \(level) n \(n): \(l2) vs \(refL2)")
            }
        }
    }

    @Test func f16KernelsMatchReferenceOnRoundedValues() {
        var rng = SplitMix64(seed: 2)
        for level in 0...Int(vk_supported_level()) {
            for n in Self.lengths {
                let a = randomVector(n, &rng)
                let b16 = randomVector(n, &rng).map { Float16($0) }
                let bits = b16.map(\.bitPattern)
                let bAsFloat = b16.map { Float($0) }
                let dot = a.withUnsafeBufferPointer { pa in bits.withUnsafeBufferPointer { pb in
                    vk_dot_f16_level(Int32(level), pa.baseAddress, pb.baseAddress, n) } }
                let l2 = a.withUnsafeBufferPointer { pa in bits.withUnsafeBufferPointer { pb in
                    vk_l2sq_f16_level(Int32(level), pa.baseAddress, pb.baseAddress, n) } }
                let scale = Double(n).squareRoot() * 1e-5 * Double(n)
                #expect(abs(Double(dot) - ReferenceDistance.dot(a, bAsFloat)) <= scale, "f16 dot level \(level) n \(n)")
                #expect(abs(Double(l2) - ReferenceDistance.squaredL2(a, bAsFloat)) <= scale * 2, "f16 l2 level \(level) n \(n)")
            }
        }
    }

    @Test func halfDecodingCoversSubnormalsAndSpecials() {
        // The portable path decodes binary16 by hand; compare with Swift's Float16 for every value.
        let one: [Float] = [1]
        for raw in UInt16.min...UInt16.max {
            let expected = Float(Float16(bitPattern: raw))
            let got = one.withUnsafeBufferPointer { p in withUnsafePointer(to: raw) { h in vk_dot_f16_level(0, p.baseAddress, h, 1) } }
            if expected.isNaN { #expect(got.isNaN) } else { #expect(got == expected, "half bits \(raw)") }
            if got != expected && !expected.isNaN { break }
        }
    }

    @Test func crc32cMatchesKnownValueAndPortablePath() {
        let check = Array("123456789".utf8)
        // The standard CRC-32C check value.
        #expect(check.withUnsafeBytes { vk_crc32c(0, $0.baseAddress, $0.count) } == 0xE306_9283)
        #expect(check.withUnsafeBytes { vk_crc32c_portable(0, $0.baseAddress, $0.count) } == 0xE306_9283)
        var rng = SplitMix64(seed: 3)
        for length in [0, 1, 7, 8, 9, 63, 64, 1000, 4097] {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let fast = bytes.withUnsafeBytes { vk_crc32c(0, $0.baseAddress, $0.count) }
            let slow = bytes.withUnsafeBytes { vk_crc32c_portable(0, $0.baseAddress, $0.count) }
            #expect(fast == slow, "length \(length)")
        }
    }

    @Test func exactSearchMatchesReferenceSort() {
        let dim = 12
        let generator = StructuredVectors(dimension: dim, seed: 9)
        let base = generator.sample(count: 300, stream: 0)
        let queries = generator.sample(count: 10, stream: 1)
        for metric in VectorMetric.allCases {
            let got = ExactSearch.nearest(base: base, queries: queries, dimension: dim, k: 5, metric: metric, threads: 2)
            let rows = Fixture.rows(base, dimension: dim)
            for (qi, q) in Fixture.rows(queries, dimension: dim).enumerated() {
                let scored = rows.enumerated().map { ($0.offset, ReferenceDistance.score(q, $0.element, metric: metric)) }
                let sorted = scored.sorted { metric.higherIsNearer ? $0.1 > $1.1 : $0.1 < $1.1 }
                #expect(got[qi] == sorted.prefix(5).map(\.0), "\(metric) query \(qi)")
            }
        }
    }
}
