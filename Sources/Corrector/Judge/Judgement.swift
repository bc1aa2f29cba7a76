/// What the judge stage hands to ``DoNoHarm``: every proposal with its scores, and the best
/// rewrite and the transcript as heard on one comparable scale.
public struct Judgement: Sendable, Equatable {
    /// The proposals, those the model judged first, then the rest with their decoder scores.
    public var candidates: [JudgedCandidate]
    /// The best contender, scored on the scale ``input`` is scored on.
    public var best: NoisyChannelDecoder.Candidate?
    /// The transcript as heard on the same scale (nil when it is not among the proposals).
    public var input: NoisyChannelDecoder.Candidate?
    /// True when the model was consulted.
    public var consultedModel: Bool

    /// A judgement.
    public init(candidates: [JudgedCandidate], best: NoisyChannelDecoder.Candidate?, input: NoisyChannelDecoder.Candidate?,
                consultedModel: Bool) {
        self.candidates = candidates
        self.best = best
        self.input = input
        self.consultedModel = consultedModel
    }
}
