extension NoisyChannelDecoder {
    /// The output of the propose stage (``NoisyChannelDecoder/propose(_:count:perState:)``).
    public struct Proposals: Sendable, Equatable {
        /// The n best distinct rewrites, best first, the transcript as heard always among them
        /// (in the last place when it ranks lower).
        public var ranked: [Candidate]
        /// The best rewrite of all (the transcript as heard when nothing beats it).
        public var best: Candidate
        /// The transcript as heard, with the score of its best path.
        public var asHeard: Candidate

        /// Proposals as found.
        public init(ranked: [Candidate], best: Candidate, asHeard: Candidate) {
            self.ranked = ranked
            self.best = best
            self.asHeard = asHeard
        }
    }
}
