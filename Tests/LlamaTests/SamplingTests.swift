import Foundation
import Testing
@testable import Llama

@Suite("Sampling, masks and the token trie")
struct SamplingTests {
    static let logits: [Float] = [1.0, 3.0, 2.5, -1.0, 3.0, 0.5]

    @Test func greedyTakesFirstMaximumAndHonoursMask() {
        Self.logits.withUnsafeBufferPointer { l in
            #expect(Sampler.argmax(l) == 1)
            var mask = LogitMask(vocabularySize: 6)
            mask.allow(2); mask.allow(5)
            #expect(Sampler.argmax(l, mask: mask) == 2)
            mask.removeAll()
            #expect(Sampler.argmax(l, mask: mask) == nil)
        }
    }

    @Test func seededSamplingIsReproducibleAndRespectsLimits() {
        Self.logits.withUnsafeBufferPointer { l in
            var a = Sampler(.init(temperature: 1, seed: 7)), b = Sampler(.init(temperature: 1, seed: 7))
            let runA = (0..<50).map { _ in a.sample(l)! }, runB = (0..<50).map { _ in b.sample(l)! }
            #expect(runA == runB)
            #expect(Set(runA).count > 1)
            // top-k 2 keeps only the two best (1 and 4 tie at 3.0).
            var k = Sampler(.init(temperature: 1, topK: 2, seed: 1))
            #expect(Set((0..<100).map { _ in k.sample(l)! }).isSubset(of: [1, 4]))
            // top-p just above the best token's share keeps only the tied best pair.
            var p = Sampler(.init(temperature: 1, topP: 0.5, seed: 3))
            #expect(Set((0..<100).map { _ in p.sample(l)! }).isSubset(of: [1, 4]))
            // A mask wins over everything.
            var mask = LogitMask(vocabularySize: 6)
            mask.allow(3)
            var m = Sampler(.init(temperature: 2, seed: 5))
            #expect((0..<20).allSatisfy { _ in m.sample(l, mask: mask) == 3 })
        }
    }

    /// Sampling frequencies follow softmax(logits / T) (checked against hand-computed shares).
    @Test func samplingFrequenciesFollowSoftmax() {
        let l: [Float] = [0, Float(log(3.0))]  // probabilities 1/4, 3/4 at T = 1
        var s = Sampler(.init(temperature: 1, seed: 11))
        let draws = l.withUnsafeBufferPointer { p in (0..<20_000).map { _ in s.sample(p)! } }
        let share = Double(draws.filter { $0 == 1 }.count) / 20_000
        #expect(abs(share - 0.75) < 0.02)
    }

    @Test func trieFindsTokensThatArePrefixesOfTheTarget() {
        let vocab: [[UInt8]] = ["a", "ab", "abc", "b", "", "abd", "x"].map { Array($0.utf8) }
        let trie = TokenTrie(tokenBytes: vocab)
        #expect(trie.prefixTokens(of: Array("abcz".utf8)) == [0, 1, 2])
        #expect(trie.prefixTokens(of: Array("b".utf8)) == [3])
        #expect(trie.prefixTokens(of: Array("zz".utf8)).isEmpty)
        var mask = LogitMask(vocabularySize: vocab.count)
        trie.allowPrefixes(of: Array("abd".utf8), in: &mask)
        trie.allowPrefixes(of: Array("x".utf8), in: &mask)
        #expect(mask.allowedTokens == [0, 1, 5, 6])
    }
}
