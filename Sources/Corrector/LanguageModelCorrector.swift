import Foundation
import ATCText

/// The engine with a language model: the noisy-channel decoder proposes its best distinct
/// rewrites (the transcript as heard among them), the LLaMA model scores each as the reply to
/// a few-shot correction prompt, and the rewrite with the best combined score wins, subject to
/// the decoder's do-no-harm rule.
///
/// The model only ever judges candidates built from the heard words, learnt rewrites and
/// phraseology, so it cannot drift from what was said; it adds its knowledge of language
/// where the n-gram prior is unsure.
public struct LanguageModelCorrector: TranscriptCorrector {
    /// Knobs of the language-model stage.
    public struct Settings: Sendable, Equatable {
        /// Distinct rewrites the decoder proposes.
        public var candidates = 8
        /// Only rewrites within this much of the decoder's best (log domain) are judged; when
        /// none is, the model is not consulted.
        public var margin = 2.0
        /// Weight of the model's log-probability beside the decoder's score.
        public var weight = 0.15
        /// Few-shot examples in the prompt.
        public var examples = 3
        /// Do no harm with the model's vote: a rewrite must beat the transcript as heard by this
        /// much (combined score) per changed word. Lower than the decoder's own threshold,
        /// because the model is a second, independent opinion.
        public var minimumGainPerEdit = 0.75
        /// The defaults.
        public init() {}
    }

    /// Clean-up before decoding.
    public var guardrail: TranscriptGuard
    /// Proposes and pre-scores candidates.
    public var decoder: NoisyChannelDecoder
    /// Scores candidates with the model.
    public let judge: LanguageModelJudge
    /// Few-shot examples (none when nil).
    public var exampleSource: (any ExampleSource)?
    /// Knobs.
    public var settings: Settings

    /// A corrector over a decoder and a judge.
    public init(decoder: NoisyChannelDecoder, judge: LanguageModelJudge, exampleSource: (any ExampleSource)?,
                settings: Settings = Settings(), guardrail: TranscriptGuard = TranscriptGuard()) {
        self.decoder = decoder
        self.judge = judge
        self.exampleSource = exampleSource
        self.settings = settings
        self.guardrail = guardrail
    }

    /// Decodes the cleaned transcript, letting the model judge the close candidates.
    public func correct(_ transcript: String) throws -> Correction {
        let (heard, notes) = guardrail.clean(transcript)
        let judged = try judgedCandidates(for: heard)
        JudgeLog.shared?.record(input: transcript, heard: heard, judged: judged)
        var judge = decoder
        judge.weights.minimumGainPerEdit = settings.minimumGainPerEdit
        let corrected = judge.choose(among: judged.map { $0.combined }, heard: heard)
        return Correction(input: transcript, heard: heard, corrected: corrected,
                          readable: ATCNormalizer.readable(tokens: corrected), notes: notes)
    }

    /// One candidate with the decoder's score, the model's log-probability (nil when the model
    /// was not consulted) and their weighted sum.
    public struct JudgedCandidate: Sendable, Equatable {
        /// Canonical tokens and decoder score.
        public var candidate: NoisyChannelDecoder.Candidate
        /// The model's log-probability of the candidate as the reply.
        public var modelLogProbability: Double?
        /// Decoder score + weight × model log-probability.
        public var combined: NoisyChannelDecoder.Candidate
    }

    /// The decoder's candidates within the margin, each judged by the model when there is more
    /// than one.
    public func judgedCandidates(for heard: [String]) throws -> [JudgedCandidate] {
        guard !heard.isEmpty else { return [] }
        let all = decoder.candidates(for: heard, count: settings.candidates)
        let best = all.map(\.score).max() ?? 0
        let close = all.filter { $0.score >= best - settings.margin || $0.words == heard }
        guard close.count > 1 else {
            return close.map { JudgedCandidate(candidate: $0, modelLogProbability: nil, combined: $0) }
        }
        let examples = try exampleSource?.examples(for: heard, limit: settings.examples) ?? []
        let logProbs = try judge.logProbabilities(of: close.map { ATCNormalizer.readable(tokens: $0.words) },
                                                  heard: ATCNormalizer.readable(tokens: heard), examples: examples)
        return zip(close, logProbs).map { candidate, logProb in
            JudgedCandidate(candidate: candidate, modelLogProbability: logProb,
                            combined: .init(words: candidate.words, score: candidate.score + settings.weight * logProb))
        }
    }
}
