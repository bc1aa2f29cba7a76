extension NoisyChannelDecoder {
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
        /// The ``DoNoHarm`` threshold when the decoder's best is taken without a judge: the
        /// rewrite replaces the transcript only when its score beats the transcript as heard by
        /// at least this much per changed word.
        public var minimumGainPerEdit = 1.5
        /// Hypotheses kept per lattice position.
        public var beamWidth = 20
        /// Share of the per-query cache prior (``CachePrior``) in the interpolated prior;
        /// 0 turns the cache off. Off by default: the in-domain trigram already knows the
        /// exemplars' phraseology, so the cache mostly adds noise (docs/BENCHMARKS.md).
        public var cacheWeight = 0.0
        /// How the cache enters the prior: false interpolates, (1 − λ)·P_ngram + λ·P_cache (a
        /// distribution, but every word outside the cache pays log(1 − λ)); true only raises,
        /// max(P_ngram, λ·P_cache), so words the n-gram already expects keep their
        /// probability and words it hardly knows (a waypoint, a callsign) become possible.
        public var cacheRaisesOnly = false
        /// Cache weight of the best retrieved exemplar; one ranked r (0-based) weighs
        /// `exemplarCacheWeight` · `exemplarDecay`^r, so the best exemplar counts most.
        public var exemplarCacheWeight = 1.0
        /// See ``exemplarCacheWeight``.
        public var exemplarDecay = 0.7
        /// Whether exemplars enter the cache as whole sentences (their first word after the
        /// sentence start, the end after their last) or as fragments that may stand anywhere.
        public var exemplarBoundaries = true
        /// Cache weight of each retrieved callsign candidate's spoken form.
        public var callsignCacheWeight = 0.5
        /// λ of the context prior: the `--context` entries form a cache of their own that only
        /// raises, max(P, λ · P_context), so listed callsigns and waypoints become likely
        /// without every other word paying for them; 0 turns it off. Off by default: the
        /// context entries' sound-alike bonus carries the gain without it (docs/BENCHMARKS.md).
        public var contextPrior = 0.0
        /// Channel bonus for proposing a retrieved callsign's telephony designator for a heard
        /// span that sounds like it.
        public var callsignBonus = 1.0
        /// How many of the best retrieved callsigns may replace a whole heard callsign span
        /// (designator words and flight number); 0 turns it off.
        public var callsignSpanCandidates = 1
        /// Fixed channel score of a whole-callsign rewrite (before the distance term and the
        /// callsign bonus).
        public var callsignSpanBase = -6.0
        /// Channel bonus for proposing a `--context` entry's words for a heard span that sounds
        /// like them.
        public var contextBonus = 2.0
        /// Channel bonus for a rewrite that the retrieved noisy pairs show for this very span.
        public var pairBonus = 2.0
        /// The defaults (chosen on the ATCOSIM dev split, never on test: docs/BENCHMARKS.md).
        public init() {}
    }
}
