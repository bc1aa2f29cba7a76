/// Plain, obviously-correct distance functions: the oracle that the SIMD kernels in
/// `CVectorKernels` are tested against. Accumulates in Double so its own rounding is negligible.
public enum ReferenceDistance {
    /// Σ aᵢbᵢ.
    public static func dot(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count, "vectors of different length")
        var sum = 0.0
        for i in a.indices { sum += Double(a[i]) * Double(b[i]) }
        return sum
    }

    /// Σ (aᵢ − bᵢ)².
    public static func squaredL2(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count, "vectors of different length")
        var sum = 0.0
        for i in a.indices {
            let d = Double(a[i]) - Double(b[i])
            sum += d * d
        }
        return sum
    }

    /// The score `HNSWIndex.search` reports for `metric` (cosine normalises both sides).
    public static func score(_ a: [Float], _ b: [Float], metric: VectorMetric) -> Double {
        switch metric {
        case .innerProduct: return dot(a, b)
        case .l2: return squaredL2(a, b)
        case .cosine:
            let na = dot(a, a).squareRoot(), nb = dot(b, b).squareRoot()
            return dot(a, b) / (na * nb)
        }
    }
}
