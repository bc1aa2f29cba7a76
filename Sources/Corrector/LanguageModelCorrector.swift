import Foundation
import ATCText
import Retrieval

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
        /// much (combined score) per changed word. The decoder's own 1.5: lower thresholds won
        /// a few hundredths on dev zero-shot but cost on the fine-tuned and ATCO2 transcripts,
        /// which is where harm shows (docs/BENCHMARKS.md).
        public var minimumGainPerEdit = 1.5
        /// The defaults.
        public init() {}
    }

    /// The channel engine: guard, retrieval, per-query biased decoder.
    public var channel: ChannelCorrector
    /// Scores candidates with the model.
    public let judge: LanguageModelJudge
    /// Few-shot examples when the channel engine retrieves none (retrieval off); nil for none.
    public var exampleSource: (any ExampleSource)?
    /// Knobs.
    public var settings: Settings

    /// A corrector over the channel engine and a judge.
    public init(channel: ChannelCorrector, judge: LanguageModelJudge, exampleSource: (any ExampleSource)? = nil,
                settings: Settings = Settings()) {
        self.channel = channel
        self.judge = judge
        self.exampleSource = exampleSource
        self.settings = settings
    }

    /// Decodes the cleaned transcript, letting the model judge the close candidates.
    public func correct(_ transcript: String) throws -> Correction {
        var (heard, notes) = channel.guardrail.clean(transcript)
        let (decoder, found) = try channel.decoder(for: heard)
        let examples = try examples(for: heard, retrieved: found)
        let judged = try judgedCandidates(for: heard, decoder: decoder, examples: examples)
        JudgeLog.shared?.record(input: transcript, heard: heard, judged: judged)
        let corrected = choose(among: judged, heard: heard)
        if judged.contains(where: { $0.modelLogProbability != nil }) {
            let prompt = judge.prompt.fixedPrefix + judge.prompt.query(examples: examples, heard: ATCNormalizer.readable(tokens: heard))
            notes.append("prompt: " + prompt.replacingOccurrences(of: "\n", with: " ⏎ ") + "…")
        }
        for candidate in judged where candidate.modelLogProbability != nil {
            notes.append(String(format: "judged %.2f = decoder %.2f + %.2f × model %.2f: %@", candidate.combined.score,
                                candidate.candidate.score, settings.weight, candidate.modelLogProbability!,
                                ATCNormalizer.readable(tokens: candidate.candidate.words)))
        }
        if corrected == heard, judged.first?.candidate.words != heard, !heard.isEmpty {
            notes.append("kept the input: no rewrite gained enough over it (do no harm)")
        }
        return Correction(input: transcript, heard: heard, corrected: corrected,
                          readable: ATCNormalizer.readable(tokens: corrected), notes: notes, retrieval: found,
                          candidates: judged.map(\.combined).sorted { $0.score > $1.score })
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

    /// The decoder's candidates, those within the margin of its best judged by the model
    /// when there are at least two of them (the rest keep their decoder score).
    public func judgedCandidates(for heard: [String], decoder: NoisyChannelDecoder,
                                 examples: [CorrectionPrompt.Example]) throws -> [JudgedCandidate] {
        guard !heard.isEmpty else { return [] }
        let all = decoder.candidates(for: heard, count: settings.candidates)
        let best = all.map(\.score).max() ?? 0
        let close = all.filter { $0.score >= best - settings.margin }
        guard close.count > 1 else {
            return all.map { JudgedCandidate(candidate: $0, modelLogProbability: nil, combined: $0) }
        }
        let logProbs = try judge.logProbabilities(of: close.map { ATCNormalizer.readable(tokens: $0.words) },
                                                  heard: ATCNormalizer.readable(tokens: heard), examples: examples)
        let judged = zip(close, logProbs).map { candidate, logProb in
            JudgedCandidate(candidate: candidate, modelLogProbability: logProb,
                            combined: .init(words: candidate.words, score: candidate.score + settings.weight * logProb))
        }
        return judged + all.filter { $0.score < best - settings.margin }
            .map { JudgedCandidate(candidate: $0, modelLogProbability: nil, combined: $0) }
    }

    /// The prompt's examples: the noisy pairs retrieval found for this transcript, or the
    /// example source's when retrieval is off.
    func examples(for heard: [String], retrieved: RetrievalResult?) throws -> [CorrectionPrompt.Example] {
        guard settings.examples > 0 else { return [] }
        if let retrieved {
            return retrieved.pairs.prefix(settings.examples).map(CorrectionPrompt.Example.init(pair:))
        }
        return try exampleSource?.examples(for: heard, limit: settings.examples) ?? []
    }

    /// The best candidate within the margin by combined score, kept only when it beats the
    /// transcript as heard by ``Settings/minimumGainPerEdit`` per changed word — on combined
    /// scores when the model judged the input too, on decoder scores when the input was too
    /// far behind to be judged.
    func choose(among judged: [JudgedCandidate], heard: [String]) -> [String] {
        let contenders = judged.contains { $0.modelLogProbability != nil }
            ? judged.filter { $0.modelLogProbability != nil }
            : Array(judged.prefix(1))
        guard let best = contenders.max(by: { $0.combined.score < $1.combined.score }) else { return heard }
        guard settings.minimumGainPerEdit > 0, best.candidate.words != heard else { return best.candidate.words }
        let gain: Double
        if let input = contenders.first(where: { $0.candidate.words == heard }) {
            gain = best.combined.score - input.combined.score
        } else if let input = judged.first(where: { $0.candidate.words == heard }) {
            gain = best.candidate.score - input.candidate.score
        } else {
            return best.candidate.words
        }
        let edits = WordAligner.editCounts(reference: best.candidate.words, hypothesis: heard).errors
        return gain >= settings.minimumGainPerEdit * Double(max(1, edits)) ? best.candidate.words : heard
    }
}
