import ATCText
import Retrieval

/// Word-level noisy-channel decoding: find the reference word sequence R that maximises
/// `lmWeight · log P_LM(R) + log P_channel(heard | R)` over a lattice built from the heard
/// transcript.
///
/// Each step consumes 1–3 heard words and emits 0–4 words, by one of:
/// - a rewrite from the ``ConfusionTable`` (a copy is just the rewrite `w → w`), scored by its
///   learnt probability;
/// - a sound-alike phraseology word or pair from the ``SoundAlikeLexicon``, scored by distance;
/// - a plain copy of a word the table never saw (names, numbers it has no opinion about).
/// A beam over (position, trigram state) keeps the search linear in the transcript's length.
public struct NoisyChannelDecoder: Sendable {
    /// Weights of the decoder's score terms.
    public struct Weights: Sendable, Equatable {
        /// Weight of the language model's log-probability.
        public var languageModel = 0.5
        /// Weight of the confusion table's log-probability.
        public var confusion = 1.0
        /// Fixed cost of proposing a sound-alike that the table has not seen.
        public var soundAlikeBase = -6.0
        /// Cost per unit of normalised distance of a sound-alike.
        public var soundAlikeDistance = -6.0
        /// Score of copying a word the confusion table has never seen.
        public var unseenCopy = -3.0
        /// Pseudo-counts of "heard right" added for every heard phraseology word (one the
        /// sound-alike lexicon knows), see ``ConfusionTable/logProbability(of:heard:copyPrior:)``.
        public var copyPrior = 20.0
        /// When true, a rewrite may not change the digits of what was heard: numbers are what
        /// the recogniser gets right most often and what matters most to get right.
        public var keepDigits = false
        /// Do no harm: the rewrite is kept only when its score beats leaving the transcript as
        /// heard by at least this much per changed word; otherwise the input stands.
        public var minimumGainPerEdit = 1.5
        /// Hypotheses kept per lattice position.
        public var beamWidth = 20
        /// The defaults (chosen by the sweep recorded in docs/BENCHMARKS.md).
        public init() {}
    }

    /// One way of rewriting a stretch of the heard words, as considered by the decoder.
    public struct Step: Sendable, Equatable {
        /// How many heard words the step consumes.
        public var consumed: Int
        /// The words it emits.
        public var emitted: [String]
        /// Its channel score (log domain, before the language model).
        public var channelScore: Double
        /// Where the step came from.
        public var source: Source
    }

    /// The origin of a lattice step.
    public enum Source: String, Sendable, Equatable {
        /// A rewrite (or copy) learnt from noisy pairs.
        case confusion
        /// A phraseology word that sounds like the heard span.
        case soundAlike
        /// A copy of a word the table has no entry for.
        case copy
    }

    /// The domain prior.
    public let languageModel: NgramLanguageModel
    /// Learnt rewrites.
    public let confusions: ConfusionTable
    /// Sound-alike proposals.
    public let lexicon: SoundAlikeLexicon
    /// Score weights.
    public var weights: Weights

    /// A decoder over the given models.
    public init(languageModel: NgramLanguageModel, confusions: ConfusionTable, lexicon: SoundAlikeLexicon, weights: Weights = Weights()) {
        self.languageModel = languageModel
        self.confusions = confusions
        self.lexicon = lexicon
        self.weights = weights
    }

    /// The steps the lattice offers at `position` of `heard`.
    public func steps(at position: Int, of heard: [String]) -> [Step] {
        var steps: [Step] = []
        for length in 1...ConfusionTable.maxHypothesisSpan where position + length <= heard.count {
            let span = heard[position..<position + length]
            var rewrites = confusions.rewrites(of: span)
            let prior = length == 1 && lexicon.knows(span[span.startIndex]) ? weights.copyPrior : 0
            if prior > 0, !rewrites.isEmpty, !rewrites.contains(where: { $0.reference.elementsEqual(span) }) {
                rewrites.append(ConfusionTable.Rewrite(reference: Array(span), count: 0))
            }
            let heardDigits = weights.keepDigits ? span.filter(ATCNormalizer.isDigitToken) : []
            for rewrite in rewrites {
                if weights.keepDigits, rewrite.reference.filter(ATCNormalizer.isDigitToken) != heardDigits { continue }
                let score = weights.confusion * confusions.logProbability(of: rewrite, heard: span, copyPrior: prior)
                steps.append(Step(consumed: length, emitted: rewrite.reference, channelScore: score, source: .confusion))
            }
            if length <= 2 {
                for candidate in lexicon.candidates(for: span)
                where !rewrites.contains(where: { $0.reference == candidate.words }) {
                    let score = weights.soundAlikeBase + weights.soundAlikeDistance * candidate.distance
                    steps.append(Step(consumed: length, emitted: candidate.words, channelScore: score, source: .soundAlike))
                }
            }
        }
        if position < heard.count, !confusions.knows(heard[position...position]) {
            steps.append(Step(consumed: 1, emitted: [heard[position]], channelScore: weights.unseenCopy, source: .copy))
        }
        return steps
    }

    private struct Hypothesis {
        var score: Double
        var words: [String]
    }

    /// The best rewrite of a canonical token sequence, or the sequence itself when the
    /// rewrite does not gain enough over it (``Weights/minimumGainPerEdit``).
    public func decode(_ heard: [String]) -> [String] {
        let best = search(heard)
        guard weights.minimumGainPerEdit > 0, best.words != heard else { return best.words }
        let edits = WordAligner.editCounts(reference: best.words, hypothesis: heard).errors
        let gain = best.score - score(ofCopying: heard)
        return gain >= weights.minimumGainPerEdit * Double(max(1, edits)) ? best.words : heard
    }

    /// The score of the path that leaves every heard word as it is.
    func score(ofCopying heard: [String]) -> Double {
        var state = NgramLanguageModel.start
        var total = 0.0
        for (position, word) in heard.enumerated() {
            let copy = steps(at: position, of: heard).filter { $0.consumed == 1 && $0.emitted == [word] }
            total += copy.map(\.channelScore).max() ?? weights.unseenCopy
            let scored = languageModel.score(word, after: state)
            total += weights.languageModel * scored.logProbability
            state = scored.next
        }
        return total + weights.languageModel * languageModel.endScore(after: state)
    }

    private func search(_ heard: [String]) -> Hypothesis {
        guard !heard.isEmpty else { return Hypothesis(score: 0, words: []) }
        var lattice = [[NgramLanguageModel.State: Hypothesis]](repeating: [:], count: heard.count + 1)
        lattice[0][NgramLanguageModel.start] = Hypothesis(score: 0, words: [])
        for position in 0..<heard.count {
            let survivors = lattice[position].sorted { $0.value.score > $1.value.score }.prefix(weights.beamWidth)
            if survivors.isEmpty { continue }
            let options = steps(at: position, of: heard)
            for (state, hypothesis) in survivors {
                for step in options {
                    var next = state
                    var lm = 0.0
                    for word in step.emitted {
                        let scored = languageModel.score(word, after: next)
                        lm += scored.logProbability
                        next = scored.next
                    }
                    let score = hypothesis.score + step.channelScore + weights.languageModel * lm
                    let target = position + step.consumed
                    if let existing = lattice[target][next], existing.score >= score { continue }
                    lattice[target][next] = Hypothesis(score: score, words: hypothesis.words + step.emitted)
                }
            }
        }
        var best: Hypothesis?
        for (state, hypothesis) in lattice[heard.count] {
            let total = hypothesis.score + weights.languageModel * languageModel.endScore(after: state)
            if best == nil || total > best!.score { best = Hypothesis(score: total, words: hypothesis.words) }
        }
        return best ?? Hypothesis(score: score(ofCopying: heard), words: heard)
    }
}
