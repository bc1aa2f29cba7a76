extension NoisyChannelDecoder {
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
        /// A word this query's evidence makes likely (a retrieved callsign's designator, a
        /// `--context` entry) that sounds like the heard span.
        case retrieved
    }
}
