import ATCText

/// The statistics the noisy-channel decoder needs, learnt from an index's phrases and noisy
/// pairs: the n-gram prior over reference phrases, the confusion table over noisy → clean
/// pairs, and the sound-alike lexicon over phraseology words.
public struct ChannelModel: Sendable {
    /// One training phrase in canonical tokens, with how often it occurred.
    public struct Phrase: Sendable {
        /// Canonical tokens.
        public var tokens: [String]
        /// Occurrences (a phrase seen 3 times weighs as 3 phrases).
        public var count: Int
        /// A phrase with its count.
        public init(tokens: [String], count: Int) {
            self.tokens = tokens
            self.count = count
        }
    }

    /// One ASR hypothesis with its reference, in canonical tokens, with how often it occurred.
    public struct NoisyPair: Sendable {
        /// What the recogniser wrote.
        public var hypothesis: [String]
        /// What was said.
        public var reference: [String]
        /// Occurrences.
        public var count: Int
        /// A pair with its count.
        public init(hypothesis: [String], reference: [String], count: Int) {
            self.hypothesis = hypothesis
            self.reference = reference
            self.count = count
        }
    }

    /// The domain prior.
    public let languageModel: NgramLanguageModel
    /// Learnt rewrites.
    public let confusions: ConfusionTable
    /// Sound-alike proposals.
    public let lexicon: SoundAlikeLexicon

    /// Learns from phrases and noisy pairs: the n-gram prior from `priorPhrases`, the
    /// sound-alike lexicon from `vocabularyPhrases` (defaults to the same), the confusion table
    /// from `pairs`. The references of the pairs should be among the prior's phrases.
    public init(priorPhrases: [Phrase], vocabularyPhrases: [Phrase]? = nil, pairs: [NoisyPair]) {
        self.init(priorPhrases: priorPhrases, backgroundPhrases: [], backgroundWeight: 0,
                  vocabularyPhrases: vocabularyPhrases, pairs: pairs)
    }

    /// As ``init(priorPhrases:vocabularyPhrases:pairs:)``, with the prior a mixture: the
    /// n-gram over `priorPhrases` with weight 1 − `backgroundWeight` and one over
    /// `backgroundPhrases` (e.g. generated phraseology) with `backgroundWeight`.
    public init(priorPhrases: [Phrase], backgroundPhrases: [Phrase], backgroundWeight: Double,
                vocabularyPhrases: [Phrase]? = nil, pairs: [NoisyPair]) {
        func expand(_ phrases: [Phrase]) -> [[String]] {
            phrases.flatMap { Array(repeating: $0.tokens, count: max(1, $0.count)) }
        }
        let sentences = expand(priorPhrases)
        languageModel = NgramLanguageModel(mixture: [(sentences, 1 - backgroundWeight), (expand(backgroundPhrases), backgroundWeight)])
        confusions = ConfusionTable(pairs: pairs.flatMap {
            Array(repeating: (hypothesis: $0.hypothesis, reference: $0.reference), count: max(1, $0.count))
        })
        lexicon = SoundAlikeLexicon(phrases: vocabularyPhrases.map(expand) ?? sentences)
    }

    /// A decoder over this model.
    public func decoder(weights: NoisyChannelDecoder.Weights = .init()) -> NoisyChannelDecoder {
        NoisyChannelDecoder(languageModel: languageModel, confusions: confusions, lexicon: lexicon, weights: weights)
    }
}
