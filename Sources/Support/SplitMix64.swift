#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The package's one seedable pseudo-random generator (SplitMix64, Steele, Lea & Flood 2014).
///
/// Generated corpora, HNSW level draws, sampling and test vectors must be the same for the
/// same seed on every machine and Swift version, which `SystemRandomNumberGenerator` cannot
/// give (it is not seedable) and the standard library's `Int.random(in:using:)` does not
/// promise either (its mapping from 64-bit words to ranges is an implementation detail). So
/// the word stream and every mapping to ranges, units and normals are defined here.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    @usableFromInline var state: UInt64

    /// A generator whose whole output is determined by `seed`.
    @inlinable
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64-bit word of the stream.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// SplitMix64's finaliser: a bijective avalanche of 64 bits; also usable as a hash of
    /// (seed, item) without keeping a generator.
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<upperBound`, by Lemire's multiply-shift with rejection, so that every
    /// value is equally likely and the result depends only on this type's word stream.
    public mutating func below(_ upperBound: Int) -> Int {
        precondition(upperBound > 0, "below(_:) needs a positive bound")
        let bound = UInt64(upperBound)
        let threshold = (0 &- bound) % bound
        while true {
            let product = next().multipliedFullWidth(by: bound)
            if product.low >= threshold {
                return Int(product.high)
            }
        }
    }

    /// A value in the closed range.
    public mutating func inRange(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `percent`/100.
    public mutating func chance(percent: Int) -> Bool {
        below(100) < percent
    }

    /// A uniformly chosen element of a non-empty array.
    public mutating func pick<Element>(_ elements: [Element]) -> Element {
        elements[below(elements.count)]
    }

    /// A uniform double in [0, 1) with 53 random bits.
    @inlinable
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform float in [0, 1) with 24 random bits.
    @inlinable
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) / Float(1 << 24)
    }

    /// A standard normal deviate (Box–Muller; one of the pair is discarded for simplicity).
    public mutating func nextGaussian() -> Double {
        var u1 = nextUnit()
        while u1 <= 0 { u1 = nextUnit() }
        let u2 = nextUnit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
