import Testing
@testable import Corrector

@Suite struct SoundAlikeTests {
    @Test func phoneticKeyMergesSoundAlikeLetters() {
        #expect(PhoneticKey.key("rhein") == PhoneticKey.key("rein"))
        #expect(PhoneticKey.key("philip") == PhoneticKey.key("filip"))
        #expect(String(decoding: PhoneticKey.key("speedbird"), as: UTF8.self) == "spadbard")
        // z→s, vowels after the first letter → a, soft c → s, h dropped.
        #expect(String(decoding: PhoneticKey.key("zurich"), as: UTF8.self) == "saras")
    }

    @Test func editDistanceByHand() {
        #expect(normalizedEditDistance(Array("kitten".utf8), Array("sitting".utf8)) == 3.0 / 7.0)
        #expect(normalizedEditDistance(Array("abc".utf8), Array("abc".utf8)) == 0)
        #expect(normalizedEditDistance([], Array("a".utf8)) == 1)
    }

    @Test func lexiconProposesWordsAndPairs() {
        let phrases = Array(repeating: ["iberia", "3", "guten", "tag", "viva"], count: 2)
        let lexicon = SoundAlikeLexicon(phrases: phrases)
        // "veria" (key vara) is nearer "viva" (vava, 1/4) than "iberia" (ibara, 2/5); both are
        // proposed and the language model decides.
        #expect(lexicon.candidates(for: ["veria"]).map(\.words) == [["viva"], ["iberia"]])
        #expect(lexicon.candidates(for: ["kuntag"]).first?.words == ["guten", "tag"])
        #expect(lexicon.candidates(for: ["liva"]).first?.words == ["viva"])
        #expect(lexicon.candidates(for: ["3"]).isEmpty)
        #expect(lexicon.candidates(for: ["xq"]).isEmpty)
    }
}

@Suite struct BoundedEditDistanceTests {
    /// The early-exit distance must agree with the plain one wherever it answers, and answer
    /// exactly when the plain distance is within the limit.
    @Test func agreesWithPlainDistance() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcs".utf8)
        for _ in 0..<2000 {
            let a = (0..<Int.random(in: 0...7, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            let b = (0..<Int.random(in: 0...7, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            let plain = normalizedEditDistance(a, b)
            let bounded = normalizedEditDistance(a, b, limit: 0.45)
            if plain <= 0.45 { #expect(bounded == plain, "\(a) \(b)") } else { #expect(bounded == nil, "\(a) \(b)") }
        }
    }
}
