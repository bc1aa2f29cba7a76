import ATCText

/// The model writes the correction (see ``ConstrainedRewriter``): the approach the engine's
/// judge is measured against. With `constrained`, the allowed words are the transcript's, the
/// decoder's candidates' and the retrieved examples'; without it the model writes freely.
public struct GenerativeCorrector: TranscriptCorrector {
    /// The channel engine: guard, retrieval, and the candidates whose words are allowed.
    public var channel: ChannelCorrector
    /// The model.
    public let rewriter: ConstrainedRewriter
    /// Few-shot examples (none when nil).
    public var exampleSource: (any ExampleSource)?
    /// Whether the output is held to the allowed words.
    public var constrained: Bool
    /// Few-shot examples in the prompt.
    public var examples: Int
    /// Decoder candidates whose words are allowed.
    public var candidates: Int

    /// A generative corrector.
    public init(channel: ChannelCorrector, rewriter: ConstrainedRewriter, exampleSource: (any ExampleSource)? = nil,
                constrained: Bool, examples: Int = 3, candidates: Int = 8) {
        self.channel = channel
        self.rewriter = rewriter
        self.exampleSource = exampleSource
        self.constrained = constrained
        self.examples = examples
        self.candidates = candidates
    }

    /// The model's rewrite of the cleaned transcript.
    public func correct(_ transcript: String) throws -> Correction {
        let (heard, notes) = channel.guardrail.clean(transcript)
        guard !heard.isEmpty else {
            return Correction(input: transcript, heard: [], corrected: [], readable: "", notes: notes)
        }
        let (decoder, found) = try channel.decoder(for: heard)
        let shots = try found.map { found in
            found.pairs.prefix(examples).map(CorrectionPrompt.Example.init(pair:))
        } ?? exampleSource?.examples(for: heard, limit: examples) ?? []
        var allowed: Set<String>?
        if constrained {
            var words = Set(ATCNormalizer.readable(tokens: heard).split(separator: " ").map(String.init))
            for candidate in decoder.candidates(for: heard, count: candidates) {
                words.formUnion(ATCNormalizer.readable(tokens: candidate.words).split(separator: " ").map(String.init))
            }
            for shot in shots { words.formUnion(shot.said.split(separator: " ").map(String.init)) }
            allowed = words
        }
        let text = try rewriter.rewrite(heard: ATCNormalizer.readable(tokens: heard), examples: shots,
                                        allowedWords: allowed, maxTokens: 2 * heard.count + 8)
        let corrected = ATCNormalizer.canonicalTokens(text)
        return Correction(input: transcript, heard: heard, corrected: corrected,
                          readable: ATCNormalizer.readable(tokens: corrected), notes: notes, retrieval: found)
    }
}
