import ATCText
import Retrieval
import Testing
@testable import Corrector

/// Measures the noisy-channel decoder on ATCOSIM test after learning from ATCOSIM train only.
@Suite(.enabled(if: SharedCorpora.available, "needs ../shared/corpora"))
struct ChannelWERTests {
    @Test func atcosimTestWERDropsBelowTwelvePercent() throws {
        let train = try SharedCorpora.pairs("atcosim/train.whisper-small.csv").map {
            (hypothesis: ATCNormalizer.canonicalTokens($0.0), reference: ATCNormalizer.canonicalTokens($0.1))
        }
        let decoder = NoisyChannelDecoder(
            languageModel: NgramLanguageModel(sentences: train.map(\.reference)),
            confusions: ConfusionTable(pairs: train),
            lexicon: SoundAlikeLexicon(phrases: train.map(\.reference))
        )
        var before = CorpusWER(), after = CorpusWER()
        for (heard, reference) in try SharedCorpora.pairs("atcosim/test.whisper-small.csv") {
            let tokens = ATCNormalizer.canonicalTokens(heard)
            _ = before.add(referenceTokens: ATCNormalizer.canonicalTokens(reference), hypothesisTokens: tokens)
            _ = after.add(referenceTokens: ATCNormalizer.canonicalTokens(reference), hypothesisTokens: decoder.decode(tokens))
        }
        print("ATCOSIM test WER: before \(before.wer), after \(after.wer)")
        #expect(before.wer > 0.24)
        #expect(after.wer <= 0.12)
    }
}
