import ATCText
import Testing
@testable import Corrector

/// A scorer with log-probabilities written down by hand; asking it about a candidate it has no
/// value for is a test failure (the judge consulted the model where it should not have).
private struct TableScorer: CandidateScorer {
    struct Unlisted: Error { var candidate: String }
    var table: [String: Double]
    func logProbabilities(of candidates: [String], heard: String, examples: [CorrectionPrompt.Example]) throws -> [Double] {
        try candidates.map { candidate in
            guard let value = table[candidate] else { throw Unlisted(candidate: candidate) }
            return value
        }
    }
    func promptText(examples: [CorrectionPrompt.Example], heard: String) -> String? { nil }
}

/// The one do-no-harm rule and the judge's combination, against choices computed by hand.
@Suite struct DoNoHarmTests {
    private func t(_ text: String) -> CanonicalTranscript { CanonicalTranscript(canonicalText: text) }
    private func c(_ text: String, _ score: Double) -> NoisyChannelDecoder.Candidate { .init(words: t(text), score: score) }

    @Test func gainPerEditByHand() {
        let rule = DoNoHarm(minimumGainPerEdit: 1.5)
        let heard = t("a b")
        // One substitution: needs 1.5. Gains 0.5 and 5.5.
        let kept = rule.choose(best: c("a c", -10), over: c("a b", -10.5), heard: heard)
        #expect(kept.words == heard && kept.keptInput && kept.gain == 0.5 && kept.required == 1.5)
        #expect(rule.choose(best: c("a c", -5), over: c("a b", -10.5), heard: heard).words == t("a c"))
        // Two substitutions need 3: 2.75 is not enough, 3.25 is.
        #expect(rule.choose(best: c("x c", -7.75), over: c("a b", -10.5), heard: heard).words == heard)
        #expect(rule.choose(best: c("x c", -7.25), over: c("a b", -10.5), heard: heard).words == t("x c"))
        // An insertion is one edit.
        #expect(rule.choose(best: c("a b c", -8.75), over: c("a b", -10.5), heard: heard).words == t("a b c"))
        // The best being the input, no input to compare with, or no threshold: the best stands.
        #expect(rule.choose(best: c("a b", -1), over: c("a b", -1), heard: heard) == .init(words: heard, gain: nil, required: nil, keptInput: false))
        #expect(rule.choose(best: c("a c", -10), over: nil, heard: heard).words == t("a c"))
        #expect(DoNoHarm(minimumGainPerEdit: 0).choose(best: c("a c", -10), over: c("a b", -9), heard: heard).words == t("a c"))
    }

    /// Proposals for `a b`: decoder scores −10 (a c), −10.4 (the input), −11.5 (a d), −13 (x y,
    /// beyond the margin of 2). Weight 0.15.
    private func proposals(_ ranked: [NoisyChannelDecoder.Candidate]) -> NoisyChannelDecoder.Proposals {
        .init(ranked: ranked, best: ranked[0], asHeard: ranked.first { $0.words == t("a b") }!)
    }
    private let standard = [("a c", -10.0), ("a b", -10.4), ("a d", -11.5), ("x y", -13.0)]

    private func judge(_ table: [String: Double]) -> CandidateJudge {
        var settings = CandidateJudge.Settings()
        settings.weight = 0.15
        settings.margin = 2
        settings.minimumGainPerEdit = 1.5
        return CandidateJudge(scorer: TableScorer(table: table), settings: settings)
    }

    @Test func modelVoteWinsWithEnoughCombinedGain() throws {
        // Model: a c −20, a b −30, a d −5. Combined: a c −13, a b −14.9, a d −12.25.
        // a d is best; it gains 2.65 over the judged input, one edit needs 1.5: a d.
        let judgement = try judge(["a c": -20, "a b": -30, "a d": -5])
            .judge(proposals(standard.map { c($0.0, $0.1) }), heard: t("a b"), examples: [])
        #expect(judgement.consultedModel)
        #expect(judgement.best?.words == t("a d") && abs(judgement.best!.score - -12.25) < 1e-12)
        #expect(judgement.input?.words == t("a b") && abs(judgement.input!.score - -14.9) < 1e-12)
        // x y was beyond the margin: listed last, with its decoder score and no model vote.
        #expect(judgement.candidates.map(\.candidate.words) == [t("a c"), t("a b"), t("a d"), t("x y")])
        #expect(judgement.candidates.last?.modelLogProbability == nil && judgement.candidates.last?.combined.score == -13)
        let decision = DoNoHarm(minimumGainPerEdit: 1.5).choose(best: judgement.best!, over: judgement.input, heard: t("a b"))
        #expect(decision.words == t("a d"))
    }

    @Test func inputStandsWhenTheCombinedGainIsTooSmall() throws {
        // Model: a c −20, a b −25, a d −30. Combined: a c −13, a b −14.15, a d −16:
        // a c gains only 1.15 < 1.5 over the input.
        let judgement = try judge(["a c": -20, "a b": -25, "a d": -30])
            .judge(proposals(standard.map { c($0.0, $0.1) }), heard: t("a b"), examples: [])
        #expect(judgement.best?.words == t("a c"))
        let decision = DoNoHarm(minimumGainPerEdit: 1.5).choose(best: judgement.best!, over: judgement.input, heard: t("a b"))
        #expect(decision.words == t("a b") && decision.keptInput)
        #expect(abs(decision.gain! - 1.15) < 1e-12)
    }

    @Test func inputBeyondTheMarginIsComparedOnDecoderScores() throws {
        // Decoder: a c −10, a d −11.9, the input −12.5 (beyond −12, so not judged).
        // Model: a c −20, a d 0. Combined: a c −13, a d −11.9: a d wins the vote, but on
        // decoder scores it gains only 0.6 over the input: the input stands.
        let ranked = [c("a c", -10), c("a d", -11.9), c("a b", -12.5)]
        let judgement = try judge(["a c": -20, "a d": 0]).judge(proposals(ranked), heard: t("a b"), examples: [])
        #expect(judgement.best == c("a d", -11.9))
        #expect(judgement.input == c("a b", -12.5))
        #expect(DoNoHarm(minimumGainPerEdit: 1.5).choose(best: judgement.best!, over: judgement.input, heard: t("a b")).words == t("a b"))
        // With the input further behind (−14), the same vote gains 2.1 and a d replaces it.
        let far = [c("a c", -10), c("a d", -11.9), c("a b", -14)]
        let again = try judge(["a c": -20, "a d": 0]).judge(proposals(far), heard: t("a b"), examples: [])
        #expect(DoNoHarm(minimumGainPerEdit: 1.5).choose(best: again.best!, over: again.input, heard: t("a b")).words == t("a d"))
    }

    @Test func modelIsNotConsultedWithOneCloseProposal() throws {
        // Only a c is within 2 of the best: the empty table would throw if asked.
        let ranked = [c("a c", -10), c("a b", -13)]
        let judgement = try judge([:]).judge(proposals(ranked), heard: t("a b"), examples: [])
        #expect(!judgement.consultedModel)
        #expect(judgement.best == c("a c", -10) && judgement.input == c("a b", -13))
        #expect(judgement.candidates.allSatisfy { $0.modelLogProbability == nil })
        #expect(DoNoHarm(minimumGainPerEdit: 1.5).choose(best: judgement.best!, over: judgement.input, heard: t("a b")).words == t("a c"))
        // Nothing heard: nothing to judge.
        #expect(try judge([:]).judge(proposals(ranked), heard: .empty, examples: []).best == nil)
    }

    /// The engine end to end over a tiny decoder with the judge stage: its output is what the
    /// hand-computed rule gives for the proposals the decoder makes and the table's votes.
    @Test func engineAppliesTheRuleToTheJudgement() throws {
        let phrases = Array(repeating: NBestSearchTests.words("contact rhein 1 2"), count: 3)
        let model = ChannelModel(priorPhrases: phrases.map { ChannelModel.Phrase(tokens: $0, count: 1) },
                                 pairs: [.init(hypothesis: NBestSearchTests.words("contact line 1 2"),
                                               reference: NBestSearchTests.words("contact rhein 1 2"), count: 1)])
        let decoder = model.decoder()
        let heard = t("contact line 1 2")
        var settings = CandidateJudge.Settings()
        settings.margin = 1_000
        let proposals = decoder.propose(heard, count: settings.candidates, perState: settings.hypothesesPerState)
        // The model likes the input most by far.
        var table: [String: Double] = [:]
        for candidate in proposals.ranked { table[candidate.words.readable] = candidate.words == heard ? 0 : -1_000 }
        let engine = CorrectionEngine(decoder: decoder, stage: .judge(CandidateJudge(scorer: TableScorer(table: table), settings: settings)))
        let correction = try engine.correct("contact line 1 2")
        #expect(correction.corrected == heard)
        #expect(correction.notes.contains { $0.hasPrefix("judged") })
        #expect(proposals.ranked.count > 1)
        // Without the judge, the engine's output is the decoder's own do-no-harm decision.
        let plain = try CorrectionEngine(decoder: decoder).correct("contact line 1 2")
        #expect(plain.corrected == decoder.decode(heard))
    }

    /// A decoder whose only evidence for a rewrite is weak: with the gain threshold the input
    /// stands, without it the rewrite wins.
    @Test func weakRewriteFallsBackToTheInput() {
        let tokens = NBestSearchTests.words
        let phrases = Array(repeating: tokens("contact rhein 1 2"), count: 3)
        let pairs = [(hypothesis: tokens("contact line 1 2"), reference: tokens("contact rhein 1 2"))]
        let model = ChannelModel(priorPhrases: phrases.map { ChannelModel.Phrase(tokens: $0, count: 1) },
                                 pairs: pairs.map { ChannelModel.NoisyPair(hypothesis: $0.hypothesis, reference: $0.reference, count: 1) })
        var weights = NoisyChannelDecoder.Weights()
        weights.minimumGainPerEdit = 0
        #expect(model.decoder(weights: weights).decode(t("contact line 1 2")) == t("contact rhein 1 2"))
        weights.minimumGainPerEdit = 1000
        #expect(model.decoder(weights: weights).decode(t("contact line 1 2")) == t("contact line 1 2"))
        #expect(model.decoder(weights: weights).decode(.empty).isEmpty)
    }
}
