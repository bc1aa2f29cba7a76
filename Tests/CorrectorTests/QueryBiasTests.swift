import ATCText
import Foundation
import PhraseStore
import Retrieval
import Testing
@testable import Corrector

/// The per-query bias: the cache prior's probabilities (hand-computed), its interpolation into
/// the decoder's prior, context and callsign targets, and the retrieved pairs' rewrites.
@Suite struct QueryBiasTests {
    private func words(_ text: String) -> [String] { text.split(separator: " ").map(String.init) }
    private func transcript(_ text: String) -> CanonicalTranscript { CanonicalTranscript(canonicalText: text) }

    /// Documents: the sentence `a b` (weight 1) and the fragment `c` (weight 1). Predicted
    /// events: a, b, </s> from the sentence, c from the fragment: unigram 1/4 each. Contexts:
    /// bigram <s>→a, a→b, b→</s>; trigram (<s>,<s>)→a, (<s>,a)→b, (a,b)→</s>.
    @Test func cachePriorMatchesHandComputedInterpolation() {
        let cache = CachePrior(documents: [
            .init(tokens: ["a", "b"], weight: 1, isSentence: true),
            .init(tokens: ["c"], weight: 1, isSentence: false),
        ])
        let start = CachePrior.start
        // Trigram context seen: 0.5·1 + 0.3·1 + 0.2·0.25.
        #expect(abs(cache.probability("a", after: start).probability - 0.85) < 1e-12)
        // Unseen continuations keep only the unigram share.
        #expect(abs(cache.probability("b", after: start).probability - 0.05) < 1e-12)
        #expect(abs(cache.probability("c", after: start).probability - 0.05) < 1e-12)
        #expect(abs(cache.probability("", after: start).probability - 0.05) < 1e-12)
        #expect(cache.probability("zulu", after: start).probability == 0)
        // After `a`: trigram context (<s>, a) → b: 0.5 + 0.3 + 0.05.
        let afterA = cache.probability("a", after: start).next
        #expect(abs(cache.probability("b", after: afterA).probability - 0.85) < 1e-12)
        // After a word outside the cache only the unigram is left.
        let afterUnknown = cache.probability("zulu", after: afterA).next
        #expect(abs(cache.probability("a", after: afterUnknown).probability - 0.25) < 1e-12)
        // After `c` (a fragment, so no bigram context c→·): unigram.
        let afterC = cache.probability("c", after: start).next
        #expect(abs(cache.probability("a", after: afterC).probability - 0.25) < 1e-12)
        // A distribution in every state reached above.
        for state in [start, afterA, afterUnknown, afterC] {
            let total = ["a", "b", "c", ""].reduce(0.0) { $0 + cache.probability($1, after: state).probability }
            #expect(abs(total - 1) < 1e-12)
        }
    }

    /// Digits share one class: the sentence `level 2 4` has events level, <digit>, <digit>,
    /// </s>; after `level` the class has 0.5 · 1 + 0.3 · 1 + 0.2 · 2/4 = 0.9, a tenth per digit —
    /// the same for a digit the exemplar has (2) and one it has not (7).
    @Test func cacheDigitsAreOneClass() {
        let cache = CachePrior(documents: [.init(tokens: ["level", "2", "4"], weight: 1, isSentence: true)])
        let afterLevel = cache.probability("level", after: CachePrior.start).next
        #expect(abs(cache.probability("2", after: afterLevel).probability - 0.09) < 1e-12)
        #expect(abs(cache.probability("7", after: afterLevel).probability - 0.09) < 1e-12)
        // The state after any digit is the same, so the next digit is predicted alike.
        #expect(cache.probability("2", after: afterLevel).next == cache.probability("7", after: afterLevel).next)
    }

    private static let phrases: [ChannelModel.Phrase] = [
        .init(tokens: "lufthansa 1 2 3 descend flight level 2 4 0".split(separator: " ").map(String.init), count: 5),
        .init(tokens: "speedbird 4 5 6 climb flight level 3 1 0".split(separator: " ").map(String.init), count: 5),
        .init(tokens: "alitalia 7 8 9 contact rhein 1 3 2 decimal 4".split(separator: " ").map(String.init), count: 5),
        .init(tokens: "swissair 2 1 turn left heading 2 7 0".split(separator: " ").map(String.init), count: 5),
    ]

    private var decoder: NoisyChannelDecoder {
        ChannelModel(priorPhrases: Self.phrases, pairs: []).decoder()
    }

    @Test func unbiasedPriorIsTheNgramAndBiasedPriorInterpolatesTheCache() {
        let plain = decoder
        let state = plain.priorStart
        let ngram = plain.languageModel.score("descend", after: NgramLanguageModel.start).logProbability
        #expect(plain.prior("descend", after: state).logProbability == ngram)
        #expect(plain.endPrior(after: state) == plain.languageModel.endScore(after: NgramLanguageModel.start))

        let evidence = QueryBias(exemplars: [transcript("descend flight level 2 4 0")])
        var withCache = plain
        withCache.weights.cacheWeight = 0.3
        let biased = withCache.biased(by: evidence)
        let cache = CachePrior(documents: [.init(tokens: words("descend flight level 2 4 0"), weight: 1, isSentence: true)])
        let lambda = biased.weights.cacheWeight
        let expected = log((1 - lambda) * exp(ngram) + lambda * cache.probability("descend", after: CachePrior.start).probability)
        #expect(abs(biased.prior("descend", after: biased.priorStart).logProbability - expected) < 1e-12)
        // The cache's trigram (<s>, <s>) → descend has probability 0.5 + 0.3 + 0.2 · 1/7.
        #expect(abs(cache.probability("descend", after: CachePrior.start).probability - (0.8 + 0.2 / 7)) < 1e-12)
        // Raising only: max(P_ngram, λ · P_cache); a word outside the cache keeps its n-gram score.
        var raising = biased
        raising.weights.cacheRaisesOnly = true
        let raised = log(max(exp(ngram), lambda * cache.probability("descend", after: CachePrior.start).probability))
        #expect(abs(raising.prior("descend", after: raising.priorStart).logProbability - raised) < 1e-12)
        let turn = plain.languageModel.score("turn", after: NgramLanguageModel.start).logProbability
        #expect(raising.prior("turn", after: raising.priorStart).logProbability == turn)
        // With the default weight 0 the cache is off: a biased decoder has the plain prior.
        #expect(plain.biased(by: evidence).prior("descend", after: state).logProbability == ngram)
        // The unbiased decoder is untouched by biasing a copy.
        #expect(plain.bias == nil && plain.prior("descend", after: state).logProbability == ngram)
    }

    @Test func contextCallsignWinsWhereItOtherwiseWouldNot() throws {
        // `sabena` occurs once in the training phrases: the n-gram knows it, but too rarely for
        // the sound-alike lexicon (which wants two sightings) to propose it for `sabina`.
        let phrases = Self.phrases + [.init(tokens: words("sabena 8 3 0 turn left heading 2 7 0"), count: 1)]
        let plain = ChannelModel(priorPhrases: phrases, pairs: []).decoder()
        let heard = words("sabina 8 3 0 contact rhein 1 3 2 decimal 4")
        #expect(plain.decode(CanonicalTranscript(tokens: heard)).first == "sabina")
        #expect(!plain.steps(at: 0, of: heard).contains { $0.emitted == ["sabena"] })

        let airlines = [Airline(icao: "SAB", telephony: "sabena", name: "Sabena", country: "Belgium")]
        let context = ContextList(text: "# known traffic\nSAB830\n\ntrasadingen\n", airlines: airlines)
        #expect(context.entries.map(\.tokens) == [["sabena", "8", "3", "0"], ["trasadingen"]])
        let biased = plain.biased(by: QueryBias(context: context.entries))
        // Offered as a context target: same sound key (`sabana`), so base + context bonus.
        let step = try #require(biased.steps(at: 0, of: heard).first { $0.emitted == ["sabena"] })
        #expect(step.source == .retrieved)
        #expect(abs(step.channelScore - (biased.weights.soundAlikeBase + biased.weights.contextBonus)) < 1e-12)
        #expect(biased.decode(CanonicalTranscript(tokens: heard)).tokens == ["sabena"] + heard.dropFirst())
        // It wins on the prior: the path through `sabena` scores above the copy by more than
        // the do-no-harm margin, which the unbiased decoder's best rewrite did not.
        let with = biased.propose(CanonicalTranscript(tokens: heard), count: 5)
        #expect(with.best.words.tokens == ["sabena"] + heard.dropFirst())
        #expect(with.best.score - with.asHeard.score >= biased.weights.minimumGainPerEdit)
    }

    @Test func retrievedCallsignTelephonyIsProposedForASoundAlikeSpan() throws {
        let heard = words("hamburger 4 5 1 climb flight level 3 1 0")
        let plain = decoder
        #expect(!plain.decode(CanonicalTranscript(tokens: heard)).starts(with: ["hamburg", "air"]))
        let candidate = CallsignCandidate(telephony: "hamburg air", flightNumber: "451", score: 1)
        let result = RetrievalResult(hits: [], callsigns: [candidate], pairs: [])
        let evidence = QueryBias(retrieval: result, context: [])
        #expect(evidence.callsigns == [.init(telephony: transcript("hamburg air"), spoken: transcript("hamburg air 4 5 1"))])
        let biased = plain.biased(by: evidence)
        let offered = try #require(biased.steps(at: 0, of: heard).first { $0.source == .retrieved })
        #expect(offered.consumed == 1 && offered.emitted == ["hamburg", "air"])
        // Sound keys: `hamburger` and `hamburgair` both give `ambargar` (h dropped, vowel groups
        // become `a`), so the distance is 0 and the score is the base plus the callsign bonus.
        #expect(abs(offered.channelScore - (biased.weights.soundAlikeBase + biased.weights.callsignBonus)) < 1e-12)
    }

    @Test func bestRetrievedCallsignReplacesAWholeHeardCallsignSpan() throws {
        let plain = decoder
        let evidence = QueryBias(callsigns: [.init(telephony: transcript("lufthansa"), spoken: transcript("lufthansa 4 7 0 0"))])
        let biased = plain.biased(by: evidence)
        // Designator lost in `left sounds are`: the span ends with the candidate's exact number.
        let heard = words("left sounds are 4 7 0 0 identified")
        let step = try #require(biased.steps(at: 0, of: heard).first { $0.consumed == 7 })
        #expect(step.emitted == words("lufthansa 4 7 0 0") && step.source == .retrieved)
        // Distance: keys `laftsandsara` / `laftansa` differ by 4 edits over 12 letters (1/3),
        // spellings `leftsoundsare` / `lufthansa` by more; so the score is
        // base − 6 · 1/3 + callsign bonus.
        let expected = biased.weights.callsignSpanBase + biased.weights.soundAlikeDistance / 3 + biased.weights.callsignBonus
        #expect(abs(step.channelScore - expected) < 1e-12)
        // A dropped designator (the number alone) counts as distance 1.
        let bare = try #require(biased.steps(at: 0, of: words("4 7 0 0 identified")).first { $0.consumed == 4 && $0.source == .retrieved })
        #expect(abs(bare.channelScore - (biased.weights.callsignSpanBase + biased.weights.soundAlikeDistance + biased.weights.callsignBonus)) < 1e-12)
        // Another number, or more than three words before it, gets no whole-callsign step.
        #expect(!biased.steps(at: 0, of: words("left sounds are 4 7 0 1")).contains { $0.consumed > 3 })
        #expect(!biased.steps(at: 0, of: words("a b c d 4 7 0 0")).contains { $0.consumed > 3 })
    }

    @Test func retrievedPairRewriteIsOfferedWithItsBonus() throws {
        let plain = decoder
        let heard = words("d sign flight level 2 4 0")
        #expect(!plain.steps(at: 0, of: heard).contains { $0.emitted == ["descend"] && $0.consumed == 2 })
        let biased = plain.biased(by: QueryBias(pairs: [.init(hypothesis: transcript("lufthansa 1 2 3 d sign"),
                                                             reference: transcript("lufthansa 1 2 3 descend"))]))
        let step = try #require(biased.steps(at: 0, of: heard).first { $0.emitted == ["descend"] && $0.consumed == 2 })
        // One pair showed `d sign` once, rewritten once: log(1 / (1 + 1)) plus the bonus.
        #expect(abs(step.channelScore - (log(0.5) + biased.weights.pairBonus)) < 1e-12)
        #expect(step.source == .retrieved)
    }

    @Test func proposalsListTheCandidatesWeighed() {
        let plain = decoder
        let heard = transcript("speedbird 4 5 6 climb flight level 3 1 0")
        let proposals = plain.propose(heard, count: 5)
        #expect(plain.decode(heard) == heard)
        #expect(proposals.ranked.first == proposals.best)
        #expect(zip(proposals.ranked, proposals.ranked.dropFirst()).allSatisfy { $0.score >= $1.score })
        #expect(proposals.ranked.contains(proposals.asHeard))
        // The as-heard path is at least the copy path (the search may find it cheaper).
        #expect(proposals.asHeard.score >= plain.score(ofCopying: heard) - 1e-12)
        #expect(proposals.best.score >= proposals.asHeard.score - 1e-9)
    }
}
