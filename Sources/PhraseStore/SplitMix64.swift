/// A small seedable pseudo-random generator (SplitMix64, Steele, Lea & Flood 2014).
///
/// The corpus generator must produce the same phrases for the same seed on every machine and
/// Swift version, which `SystemRandomNumberGenerator` cannot (it is not seedable) and which
/// the standard library's `Int.random(in:using:)` does not promise either (its mapping from
/// 64-bit words to ranges is an implementation detail). So both the word stream and the
/// mapping to ranges are defined here.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose whole output is determined by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64-bit word of the stream.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
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
}
