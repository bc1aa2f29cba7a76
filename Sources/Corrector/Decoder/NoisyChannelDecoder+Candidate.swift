import ATCText

extension NoisyChannelDecoder {
    /// One complete rewrite the decoder weighed, with its total score (channel + weighted
    /// prior, sentence end included).
    public struct Candidate: Sendable, Equatable {
        /// The rewrite.
        public var words: CanonicalTranscript
        /// Total log-domain score; higher is better.
        public var score: Double
        /// A candidate.
        public init(words: CanonicalTranscript, score: Double) {
            self.words = words
            self.score = score
        }
    }
}
