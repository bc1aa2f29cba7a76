import ATCText

/// The one rule that decides whether a rewrite may replace what was heard: the best candidate
/// wins only when its score beats the transcript as heard by at least
/// ``minimumGainPerEdit`` per changed word (word-level edits between the two, at least one).
///
/// A recogniser is right about most words, and a wrong "correction" costs as much as a missed
/// one; demanding a margin per edit makes large rewrites prove more than small ones. The
/// scores compared must be on one scale: the decoder's for both, or the judge's combined score
/// for both (``CandidateJudge`` says which).
public struct DoNoHarm: Sendable, Equatable {
    /// Gain per changed word a rewrite needs; 0 or less accepts every best rewrite.
    public var minimumGainPerEdit: Double

    /// The rule with a threshold.
    public init(minimumGainPerEdit: Double) {
        self.minimumGainPerEdit = minimumGainPerEdit
    }

    /// What the rule decided.
    public struct Decision: Sendable, Equatable {
        /// The output: the best rewrite, or the transcript as heard.
        public var words: CanonicalTranscript
        /// How much the best rewrite scored above the transcript as heard (nil when the best was
        /// the transcript itself or there was nothing to compare with).
        public var gain: Double?
        /// The gain the rewrite needed (nil as for ``gain``).
        public var required: Double?
        /// True when a different best rewrite was turned down and the input stands.
        public var keptInput: Bool
    }

    /// `best` when it differs from `heard` and gains enough over `input` (the transcript as
    /// heard, scored on the same scale), else `heard`. Without an input to compare with, or with
    /// a threshold of 0 or less, the best stands.
    public func choose(best: NoisyChannelDecoder.Candidate, over input: NoisyChannelDecoder.Candidate?,
                       heard: CanonicalTranscript) -> Decision {
        guard best.words != heard, minimumGainPerEdit > 0, let input else {
            return Decision(words: best.words, gain: nil, required: nil, keptInput: false)
        }
        let edits = WordAligner.editCounts(reference: best.words.tokens, hypothesis: heard.tokens).errors
        let gain = best.score - input.score
        let required = minimumGainPerEdit * Double(max(1, edits))
        let accepted = gain >= required
        return Decision(words: accepted ? best.words : heard, gain: gain, required: required, keptInput: !accepted)
    }
}
