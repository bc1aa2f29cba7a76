import Foundation
import Testing
@testable import Retrieval

@Suite struct FusionAndTransformTests {
    @Test func reciprocalRankFusionByHand() {
        let fused = ReciprocalRankFusion.fuse([["a", "b"], ["b", "c"]], k: 60)
        #expect(fused.map(\.key) == ["b", "a", "c"])
        #expect(abs(fused[0].score - (1.0 / 62 + 1.0 / 61)) < 1e-12)
        #expect(abs(fused[1].score - 1.0 / 61) < 1e-12)
        #expect(abs(fused[2].score - 1.0 / 62) < 1e-12)
    }

    @Test func callsignListsMergeByHand() {
        let a = [CallsignCandidate(telephony: "sabena", flightNumber: "481", score: 1.2),
                 CallsignCandidate(telephony: "alitalia", flightNumber: "292", score: 0.7)]
        let b = [CallsignCandidate(telephony: "alitalia", flightNumber: "292", score: 0.9),
                 CallsignCandidate(telephony: "sabena", flightNumber: "481", score: 0.5),
                 CallsignCandidate(telephony: "condor", flightNumber: "972", score: 0.8)]
        let merged = Retriever.merge(a, b, limit: 2)
        #expect(merged.map { "\($0.telephony) \($0.flightNumber) \($0.score)" } == ["sabena 481 1.2", "alitalia 292 0.9"])
    }

    /// Whitening with negligible shrinkage must give the sample an identity covariance, checked
    /// by brute force on the transformed vectors.
    @Test func whiteningDecorrelatesTheSample() {
        var random = SplitMixForTests(seed: 7)
        let dimension = 6
        // Correlated data: x = A z with a fixed mixing matrix.
        var mixing = [[Double]](repeating: [Double](repeating: 0.1, count: dimension), count: dimension)
        for i in 0..<dimension {
            for j in 0...i { mixing[i][j] = Double(i + j + 1) / 7 }
        }
        var sample: [[Float]] = []
        for _ in 0..<400 {
            var z = [Double](repeating: 0, count: dimension)
            for i in 0..<dimension { z[i] = random.gaussian() }
            var x = [Float](repeating: 0, count: dimension)
            for i in 0..<dimension {
                var sum = 3.0
                for j in 0..<dimension { sum += mixing[i][j] * z[j] }
                x[i] = Float(sum)
            }
            sample.append(x)
        }
        let settings = EmbeddingSettings(layer: 0, pooling: .mean, centre: true, whiten: true, shrinkage: 1e-9)
        let transform = EmbeddingTransform(fitting: sample, dimension: dimension, settings: settings)
        let mapped = sample.map { transform.apply($0).map(Double.init) }
        for i in 0..<dimension {
            let mean = mapped.reduce(0) { $0 + $1[i] } / Double(mapped.count)
            #expect(abs(mean) < 1e-3)
            for j in 0..<dimension {
                let covariance = mapped.reduce(0) { $0 + $1[i] * $1[j] } / Double(mapped.count)
                #expect(abs(covariance - (i == j ? 1 : 0)) < 1e-2, "covariance[\(i)][\(j)] = \(covariance)")
            }
        }
        // Round trip through the metadata encoding.
        #expect(EmbeddingTransform.decode(EmbeddingTransform.encode(transform.mean)) == transform.mean)
    }
}

/// A small deterministic generator for test data.
struct SplitMixForTests {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func gaussian() -> Double {
        let u = (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992
        let v = (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}
