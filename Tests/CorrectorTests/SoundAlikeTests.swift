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
