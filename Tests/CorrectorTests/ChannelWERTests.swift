import ATCText
import Retrieval
import Testing
@testable import Corrector

/// Measures the noisy-channel decoder on held-out data after learning from ATCOSIM train only.
@Suite(.enabled(if: SharedCorpora.available, "needs ../shared/corpora"))
struct ChannelWERTests {
    static let decoder: NoisyChannelDecoder? = {
        guard let rows = try? SharedCorpora.pairs("atcosim/train.whisper-small.csv") else { return nil }
        let train = rows.map {
            (hypothesis: ATCNormalizer.canonicalTokens($0.0), reference: ATCNormalizer.canonicalTokens($0.1))
        }
        return NoisyChannelDecoder(
            languageModel: NgramLanguageModel(sentences: train.map(\.reference)),
            confusions: ConfusionTable(pairs: train),
            lexicon: SoundAlikeLexicon(phrases: train.map(\.reference))
        )
    }()

    private func measure(_ file: String) throws -> (before: Double, after: Double) {
        let decoder = try #require(Self.decoder)
        var before = CorpusWER(), after = CorpusWER()
        for (heard, reference) in try SharedCorpora.pairs(file) {
            let tokens = ATCNormalizer.canonicalTokens(heard)
            let truth = ATCNormalizer.canonicalTokens(reference)
            _ = before.add(referenceTokens: truth, hypothesisTokens: tokens)
            _ = after.add(referenceTokens: truth, hypothesisTokens: decoder.decode(CanonicalTranscript(tokens: tokens)).tokens)
        }
        print("\(file): WER before \(before.wer), after \(after.wer)")
        return (before.wer, after.wer)
    }

    @Test func zeroShotWhisperTestWERDropsBelowTwelvePercent() throws {
        let (before, after) = try measure("atcosim/test.whisper-small.csv")
        #expect(before > 0.24)
        #expect(after <= 0.12)
    }

    @Test func fineTunedWhisperIsNotHarmed() throws {
        let (before, after) = try measure("atcosim/test.whisper-finetuned.csv")
        #expect(after <= before)
    }

    @Test func atco2SampleImproves() throws {
        let (before, after) = try measure("atco2/sample.whisper-small.csv")
        #expect(after < before)
    }
}
