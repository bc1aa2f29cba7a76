import ATCText
import Foundation
import Retrieval

/// The correction engine: one pipeline, run on each piece of a transcript.
///
/// 1. **Guard** (``TranscriptGuard``): canonical tokens, cleaned, cut into bounded pieces.
/// 2. **Evidence** (``EvidenceGatherer``): retrieval over the index and the context list, as a
///    per-query bias of the decoder and few-shot examples.
/// 3. **Propose** (``NoisyChannelDecoder/propose(_:count:perState:)``): one lattice search for
///    the n best rewrites, the transcript as heard among them.
/// 4. **Judge** (``CandidateJudge``, when a model is loaded): the model scores the close
///    proposals.
/// 5. **Choose** (``DoNoHarm``): the best replaces the transcript only with enough gain.
/// 6. **Output** (``Correction``).
///
/// The generation ablation (``Rewriting``) replaces steps 3–5 with the model writing the
/// correction. Open one with ``open(index:options:)``.
public struct CorrectionEngine: TranscriptCorrector {
    /// What follows the evidence stage.
    public enum Stage: Sendable {
        /// The decoder's best, checked by ``DoNoHarm`` on decoder scores.
        case decoder
        /// The model judges the decoder's proposals; ``DoNoHarm`` on the judge's scale.
        case judge(CandidateJudge)
        /// The model writes the correction (the ablation).
        case rewrite(Rewriting)
    }

    /// Proposals listed for `--explain` when no judge needs more.
    public static let explainedProposals = 5

    /// Clean-up and cutting before anything else.
    public var guardrail: TranscriptGuard
    /// Retrieval and context.
    public var evidence: EvidenceGatherer
    /// The decoder (unbiased; each piece gets its own biased copy).
    public var decoder: NoisyChannelDecoder
    /// What turns proposals into the output.
    public var stage: Stage
    /// What ``open(index:options:)`` loaded, for the CLI's one line per component.
    public internal(set) var report: LoadReport?

    /// An engine over a decoder.
    public init(decoder: NoisyChannelDecoder, guardrail: TranscriptGuard = TranscriptGuard(),
                evidence: EvidenceGatherer = EvidenceGatherer(), stage: Stage = .decoder) {
        self.decoder = decoder
        self.guardrail = guardrail
        self.evidence = evidence
        self.stage = stage
    }

    /// The do-no-harm rule of this engine's stage: the judge's threshold with a judge, the
    /// decoder's without.
    public var doNoHarm: DoNoHarm {
        switch stage {
        case .judge(let judge): DoNoHarm(minimumGainPerEdit: judge.settings.minimumGainPerEdit)
        case .decoder, .rewrite: DoNoHarm(minimumGainPerEdit: decoder.weights.minimumGainPerEdit)
        }
    }

    /// Corrects one transcript, piece by piece; pieces the guard passes through are kept as
    /// they are. An empty transcript gives an empty correction.
    public func correct(_ transcript: String) throws -> Correction {
        let guarded = guardrail.clean(transcript)
        var notes = guarded.notes
        var words: [String] = []
        var single: CanonicalTranscript?
        var retrieval: RetrievalResult?
        var candidates: [NoisyChannelDecoder.Candidate] = []
        let correctedPieces = guarded.pieces.filter(\.corrected).count
        var first = true
        for piece in guarded.pieces {
            guard piece.corrected else {
                words += piece.tokens.tokens
                continue
            }
            let result = try correct(piece: piece.tokens, input: transcript)
            words += result.words.tokens
            if first { retrieval = result.retrieval }
            first = false
            notes += result.notes
            if correctedPieces == 1 {
                candidates = result.candidates
                if guarded.pieces.count == 1 { single = result.words }
            }
        }
        let corrected = single ?? CanonicalTranscript(tokens: words)
        return Correction(input: transcript, heard: guarded.heard, corrected: corrected, readable: corrected.readable,
                          notes: notes, retrieval: retrieval, candidates: candidates)
    }

    /// One corrected piece.
    struct PieceResult {
        var words: CanonicalTranscript
        var retrieval: RetrievalResult?
        var notes: [String]
        var candidates: [NoisyChannelDecoder.Candidate]
    }

    /// Evidence → propose → judge → choose for one piece.
    func correct(piece heard: CanonicalTranscript, input: String) throws -> PieceResult {
        let found = try evidence.gather(for: heard)
        let biased = found.bias.isEmpty ? decoder : decoder.biased(by: found.bias)
        var notes: [String] = []
        let judgement: Judgement
        switch stage {
        case .rewrite(let rewriting):
            let words = try rewriting.rewrite(heard, decoder: biased, evidence: found)
            return PieceResult(words: words, retrieval: found.retrieval, notes: [], candidates: [])
        case .decoder:
            let ranked = biased.propose(heard, count: Self.explainedProposals).ranked
            judgement = Judgement(candidates: ranked.map { JudgedCandidate(candidate: $0, modelLogProbability: nil, combined: $0) },
                                  best: ranked.first, input: ranked.first { $0.words == heard }, consultedModel: false)
        case .judge(let judge):
            let examples = found.examples(limit: judge.settings.examples)
            let proposals = biased.propose(heard, count: judge.settings.candidates, perState: judge.settings.hypothesesPerState)
            judgement = try judge.judge(proposals, heard: heard, examples: examples)
            JudgeLog.shared?.record(input: input, heard: heard, judged: judgement.candidates)
            if judgement.consultedModel {
                if let prompt = judge.scorer.promptText(examples: examples, heard: heard.readable) {
                    notes.append("prompt: " + prompt.replacingOccurrences(of: "\n", with: " ⏎ ") + "…")
                }
                for judged in judgement.candidates {
                    guard let logProbability = judged.modelLogProbability else { continue }
                    notes.append(String(format: "judged %.2f = decoder %.2f + %.2f × model %.2f: %@", judged.combined.score,
                                        judged.candidate.score, judge.settings.weight, logProbability, judged.candidate.words.readable))
                }
            }
        }
        var words = heard
        if let best = judgement.best {
            let decision = doNoHarm.choose(best: best, over: judgement.input, heard: heard)
            words = decision.words
            if decision.keptInput, let gain = decision.gain, let required = decision.required {
                notes.append(String(format: "kept the input: the best rewrite gained %.2f over it, under the do-no-harm threshold of %.2f",
                                    gain, required))
            }
        }
        return PieceResult(words: words, retrieval: found.retrieval, notes: notes,
                           candidates: judgement.candidates.map(\.combined).sorted { $0.score > $1.score })
    }
}
