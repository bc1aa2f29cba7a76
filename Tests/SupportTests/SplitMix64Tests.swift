import Testing
import Support

/// The generator's stream and its mappings to ranges and units against their definitions
/// (the reference outputs of Vigna's splitmix64.c are checked in PhraseStoreTests, whose
/// corpus generator relies on them).
@Suite struct SplitMix64Tests {
    @Test func nextIsTheFinaliserOfTheAdvancedState() {
        var random = SplitMix64(seed: 12345)
        #expect(random.next() == SplitMix64.mix(12345 &+ 0x9E37_79B9_7F4A_7C15))
        #expect(random.next() == SplitMix64.mix(12345 &+ 2 &* 0x9E37_79B9_7F4A_7C15))
    }

    @Test func unitsAreTheTopBitsOfTheWord() {
        var words = SplitMix64(seed: 9)
        var units = SplitMix64(seed: 9)
        for _ in 0..<1000 {
            let word = words.next()
            let unit = units.nextUnit()
            #expect(unit == Double(word >> 11) / 9_007_199_254_740_992)  // 2^53
            #expect(unit >= 0 && unit < 1)
        }
        var floats = SplitMix64(seed: 9)
        var words2 = SplitMix64(seed: 9)
        for _ in 0..<1000 {
            #expect(floats.nextUnitFloat() == Float(words2.next() >> 40) / 16_777_216)  // 2^24
        }
    }

    @Test func boundedValuesStayInRangeAndCoverIt() {
        var random = SplitMix64(seed: 42)
        var seen = Set<Int>()
        for _ in 0..<10_000 {
            let value = random.inRange(-3...3)
            #expect((-3...3).contains(value))
            seen.insert(value)
        }
        #expect(seen.count == 7)
    }

    @Test func gaussianHasUnitMomentsOverManyDraws() {
        var random = SplitMix64(seed: 5)
        let draws = (0..<20_000).map { _ in random.nextGaussian() }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let variance = draws.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(draws.count)
        // Standard error of the mean is 1/√20000 ≈ 0.007; of the variance ≈ 0.01.
        #expect(abs(mean) < 0.03)
        #expect(abs(variance - 1) < 0.05)
    }
}
