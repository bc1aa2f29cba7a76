/// One proposed rewrite with the decoder's score, the model's log-probability (nil when the
/// model was not consulted on it) and their weighted sum.
public struct JudgedCandidate: Sendable, Equatable {
    /// Canonical tokens and decoder score.
    public var candidate: NoisyChannelDecoder.Candidate
    /// The model's log-probability of the candidate as the reply.
    public var modelLogProbability: Double?
    /// Decoder score + weight × model log-probability (the decoder score when not judged).
    public var combined: NoisyChannelDecoder.Candidate

    /// A judged candidate.
    public init(candidate: NoisyChannelDecoder.Candidate, modelLogProbability: Double?, combined: NoisyChannelDecoder.Candidate) {
        self.candidate = candidate
        self.modelLogProbability = modelLogProbability
        self.combined = combined
    }
}
