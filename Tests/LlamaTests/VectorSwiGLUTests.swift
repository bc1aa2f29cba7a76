import CLlamaKernels
import Support
import Testing
@testable import Llama

/// The row SwiGLU (CLlamaKernels' `lk_swiglu`, each variant) against the scalar
/// `VectorOps.swiglu` — which the llama.cpp-order tests check against double precision and
/// llama.cpp's dumps — bit for bit, over ordinary values, the exp's range edges and a tail.
@Suite("Vectorised SwiGLU")
struct VectorSwiGLUTests {
    @Test(arguments: KQuantKernelTests.variants)
    func lanesMatchScalarBitForBit(level: Int) {
        var rng = SplitMix64(seed: 4711)
        var gate = (0..<4099).map { _ in Float.random(in: -12...12, using: &rng) }
        var up = (0..<4099).map { _ in Float.random(in: -3...3, using: &rng) }
        // Edges: exponents at and past the normal range (|g| ≈ 87–104), zeros, infinities, a
        // signed zero and a subnormal, mixed into lanes of otherwise ordinary values.
        let edges: [Float] = [87.3, -87.3, 88.7, -88.7, 89, -89, 100, -100, 104, -104, 0, -0.0, .infinity,
                              -.infinity, 1e-40, 126 * 0.6931472, -126 * 0.6931472]
        for (i, e) in edges.enumerated() { gate[37 * i + 5] = e; up[37 * i + 5] = 1.5 }
        for i in 1000..<1016 { gate[i] = -95 + Float(i - 1000) }  // a whole vector out of range
        let expected = zip(gate, up).map { VectorOps.swiglu($0.0, $0.1) }
        gate.withUnsafeMutableBufferPointer { g in
            up.withUnsafeBufferPointer { u in lk_swiglu_level(Int32(level), g.baseAddress!, u.baseAddress!, g.count) }
        }
        for i in 0..<gate.count {
            #expect(gate[i].bitPattern == expected[i].bitPattern || (gate[i].isNaN && expected[i].isNaN),
                    "level \(level) index \(i): \(gate[i]) vs scalar \(expected[i])")
        }
    }
}
