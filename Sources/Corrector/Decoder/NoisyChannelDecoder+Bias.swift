extension NoisyChannelDecoder {
    /// Per-query evidence in the form the decoder uses it.
    public struct CompiledBias: Sendable {
        /// The evidence as given.
        public let evidence: QueryBias
        /// The cache prior over the retrieved exemplars and callsigns.
        public let cache: CachePrior
        /// The cache prior over the context entries.
        public let contextCache: CachePrior
        /// Sound-alike targets with their bonuses.
        public let targets: BiasTargets
        /// Rewrites shown by the retrieved noisy pairs.
        public let pairRewrites: ConfusionTable
    }

    /// This decoder biased by one query's evidence: its exemplars, callsigns and context
    /// entries feed a cache prior interpolated into the n-gram (``prior(_:after:)``), the
    /// callsigns' designators and the context entries become sound-alike targets with a bonus,
    /// and the retrieved noisy pairs' rewrites get a bonus (or are added) where their heard
    /// side occurs. Everything per-query lives in the returned value; `self` is unchanged.
    public func biased(by evidence: QueryBias) -> NoisyChannelDecoder {
        var documents: [CachePrior.Document] = []
        var weight = weights.exemplarCacheWeight
        for exemplar in evidence.exemplars {
            documents.append(.init(tokens: exemplar.tokens, weight: weight, isSentence: weights.exemplarBoundaries))
            weight *= weights.exemplarDecay
        }
        for callsign in evidence.callsigns {
            documents.append(.init(tokens: callsign.spoken.tokens, weight: weights.callsignCacheWeight, isSentence: false))
        }
        let context = evidence.context.map { CachePrior.Document(tokens: $0.tokens, weight: 1, isSentence: false) }
        let targets = evidence.callsigns.map { BiasTargets.Target(words: $0.telephony.tokens, bonus: weights.callsignBonus) }
            + evidence.context.map { BiasTargets.Target(words: $0.tokens, bonus: weights.contextBonus) }
        var copy = self
        copy.bias = CompiledBias(evidence: evidence, cache: CachePrior(documents: documents),
                                 contextCache: CachePrior(documents: context), targets: BiasTargets(targets),
                                 pairRewrites: ConfusionTable(pairs: evidence.pairs.map { (hypothesis: $0.hypothesis.tokens, reference: $0.reference.tokens) }))
        return copy
    }
}
