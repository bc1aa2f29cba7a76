import ATCText

/// The judge stage: the model scores the proposals close to the decoder's best, and each
/// judged proposal's score becomes decoder score + ``Settings/weight`` × model log-probability.
///
/// The model only ever judges candidates built from the heard words, learnt rewrites and
/// phraseology, so it cannot drift from what was said; it adds its knowledge of language
/// where the n-gram prior is unsure. Proposals far behind the best are not worth a model pass:
/// they keep their decoder score, and when fewer than two are close the model is not consulted.
public struct CandidateJudge: Sendable {
    /// Knobs of the judge stage.
    public struct Settings: Sendable, Equatable {
        /// Distinct rewrites the decoder proposes (its n-best size).
        public var candidates = 8
        /// Hypotheses each prior state keeps in the decoder's search, so that alternatives
        /// early in the utterance reach the judge.
        public var hypothesesPerState = 3
        /// Only rewrites within this much of the decoder's best (log domain) are judged.
        public var margin = 2.0
        /// Weight of the model's log-probability beside the decoder's score.
        public var weight = 0.15
        /// Few-shot examples in the prompt.
        public var examples = 3
        /// The ``DoNoHarm`` threshold on combined scores. The decoder's own 1.5: lower ones
        /// cost on the fine-tuned and ATCO2 transcripts, where harm shows (docs/BENCHMARKS.md).
        public var minimumGainPerEdit = 1.5
        /// The defaults.
        public init() {}
    }

    /// Scores candidates (the language model).
    public let scorer: any CandidateScorer
    /// Knobs.
    public var settings: Settings

    /// A judge over a scorer.
    public init(scorer: any CandidateScorer, settings: Settings = Settings()) {
        self.scorer = scorer
        self.settings = settings
    }

    /// The proposals judged: those within the margin of the best scored by the model when
    /// there are at least two of them, and the contenders ``DoNoHarm`` compares — the best by
    /// combined score against the input's combined score when the model judged the input too,
    /// on decoder scores when the input was too far behind to be judged, and the decoder's best
    /// against the input when the model was not consulted.
    public func judge(_ proposals: NoisyChannelDecoder.Proposals, heard: CanonicalTranscript,
                      examples: [CorrectionPrompt.Example]) throws -> Judgement {
        guard !heard.isEmpty else { return Judgement(candidates: [], best: nil, input: nil, consultedModel: false) }
        let all = proposals.ranked
        let unjudged = { (candidate: NoisyChannelDecoder.Candidate) in
            JudgedCandidate(candidate: candidate, modelLogProbability: nil, combined: candidate)
        }
        let top = all.map(\.score).max() ?? 0
        let close = all.filter { $0.score >= top - settings.margin }
        let inputAmongAll = all.first { $0.words == heard }
        guard close.count > 1 else {
            return Judgement(candidates: all.map(unjudged), best: all.first, input: inputAmongAll, consultedModel: false)
        }
        let logProbabilities = try scorer.logProbabilities(of: close.map(\.words.readable), heard: heard.readable,
                                                            examples: examples)
        let judged = zip(close, logProbabilities).map { candidate, logProbability in
            JudgedCandidate(candidate: candidate, modelLogProbability: logProbability,
                            combined: .init(words: candidate.words, score: candidate.score + settings.weight * logProbability))
        }
        let listed = judged + all.filter { $0.score < top - settings.margin }.map(unjudged)
        let winner = judged.max { $0.combined.score < $1.combined.score }
        if let input = judged.first(where: { $0.candidate.words == heard }) {
            return Judgement(candidates: listed, best: winner?.combined, input: input.combined, consultedModel: true)
        }
        return Judgement(candidates: listed, best: winner?.candidate, input: inputAmongAll, consultedModel: true)
    }
}
