import ATCText

/// The generation stage, the ablation the judge is measured against: the model writes the
/// correction itself (``ConstrainedRewriter``) instead of judging the decoder's proposals.
/// With ``constrained`` its words must come from the transcript, the decoder's proposals and
/// the retrieved examples' references; without it the model writes freely.
///
/// There is no do-no-harm check here: a written correction has no score on the decoder's
/// scale to weigh against the transcript, which is one reason the engine judges instead.
public struct Rewriting: Sendable {
    /// The model.
    public let rewriter: ConstrainedRewriter
    /// Whether the output is held to the allowed words.
    public var constrained: Bool
    /// Few-shot examples in the prompt.
    public var examples: Int
    /// Decoder proposals whose words are allowed.
    public var candidates: Int
    /// Hypotheses each prior state keeps in the decoder's search for those proposals.
    public var hypothesesPerState: Int

    /// A generation stage.
    public init(rewriter: ConstrainedRewriter, constrained: Bool, examples: Int = 3, candidates: Int = 8, hypothesesPerState: Int = 3) {
        self.rewriter = rewriter
        self.constrained = constrained
        self.examples = examples
        self.candidates = candidates
        self.hypothesesPerState = hypothesesPerState
    }

    /// The model's rewrite of one cleaned piece.
    func rewrite(_ heard: CanonicalTranscript, decoder: NoisyChannelDecoder, evidence: Evidence) throws -> CanonicalTranscript {
        let shots = evidence.examples(limit: examples)
        var allowed: Set<String>?
        if constrained {
            // The model writes readable text, so the allowed set is of readable words.
            var words = Set(Self.readableWords(heard))
            for candidate in decoder.propose(heard, count: candidates, perState: hypothesesPerState).ranked {
                words.formUnion(Self.readableWords(candidate.words))
            }
            for shot in shots { words.formUnion(shot.said.split(separator: " ").map(String.init)) }
            allowed = words
        }
        let text = try rewriter.rewrite(heard: heard.readable, examples: shots, allowedWords: allowed,
                                        maxTokens: 2 * heard.count + 8)
        return CanonicalTranscript(normalising: text)
    }

    private static func readableWords(_ transcript: CanonicalTranscript) -> [String] {
        transcript.readable.split(separator: " ").map(String.init)
    }
}
