import Foundation

extension NoisyChannelDecoder {
    /// The state of the prior: the n-gram's and the cache's.
    public struct PriorState: Hashable, Sendable {
        /// The n-gram's two-word history.
        public let ngram: NgramLanguageModel.State
        /// The retrieval cache's two-word history (constant when there is no cache, so that
        /// states do not split for nothing).
        public let cache: CachePrior.State
        /// The context cache's two-word history (likewise).
        public let context: CachePrior.State
    }

    /// The prior's state before the first word.
    public var priorStart: PriorState {
        PriorState(ngram: NgramLanguageModel.start, cache: CachePrior.start, context: CachePrior.start)
    }

    fileprivate var activeCache: CachePrior? {
        guard let cache = bias?.cache, !cache.isEmpty, weights.cacheWeight > 0 else { return nil }
        return cache
    }

    fileprivate var activeContext: CachePrior? {
        guard let cache = bias?.contextCache, !cache.isEmpty, weights.contextPrior > 0 else { return nil }
        return cache
    }

    /// log P(word | state) under the decoder's prior — the n-gram, interpolated with this
    /// query's retrieval cache and raised by its context cache when the decoder is biased — and the state after it; an empty word is the
    /// sentence end. Every language-model score of the decoder goes through here (not yet
    /// multiplied by ``Weights/languageModel``), so a rescoring stage that calls it sees
    /// exactly the prior the lattice search saw.
    public func prior(_ word: String, after state: PriorState) -> (logProbability: Double, next: PriorState) {
        let scored = word.isEmpty
            ? (logProbability: languageModel.endScore(after: state.ngram), next: state.ngram)
            : languageModel.score(word, after: state.ngram)
        let cache = activeCache, context = activeContext
        if cache == nil && context == nil {
            return (scored.logProbability, PriorState(ngram: scored.next, cache: state.cache, context: state.context))
        }
        var probability = exp(scored.logProbability)
        var cacheState = state.cache, contextState = state.context
        if let cache {
            let cached = cache.probability(word, after: state.cache)
            probability = weights.cacheRaisesOnly
                ? max(probability, weights.cacheWeight * cached.probability)
                : (1 - weights.cacheWeight) * probability + weights.cacheWeight * cached.probability
            cacheState = cached.next
        }
        if let context {
            let listed = context.probability(word, after: state.context)
            probability = max(probability, weights.contextPrior * listed.probability)
            contextState = listed.next
        }
        return (log(probability), PriorState(ngram: scored.next, cache: cacheState, context: contextState))
    }

    /// The summed prior log-probability of `words` after `state`, and the state after them.
    public func prior(of words: [String], after state: PriorState) -> (logProbability: Double, next: PriorState) {
        var total = 0.0
        var next = state
        for word in words {
            let scored = prior(word, after: next)
            total += scored.logProbability
            next = scored.next
        }
        return (total, next)
    }

    /// log P(sentence end | state) under the prior.
    public func endPrior(after state: PriorState) -> Double {
        prior("", after: state).logProbability
    }
}
