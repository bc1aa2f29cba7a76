import ATCText
import Foundation
import Retrieval

/// Word-level noisy-channel decoding: find the reference word sequence R that maximises
/// `lmWeight · log P_LM(R) + log P_channel(heard | R)` over a lattice built from the heard
/// transcript.
///
/// Each step consumes 1–3 heard words and emits 0–4 words, by one of:
/// - a rewrite from the ``ConfusionTable`` (a copy is just the rewrite `w → w`), scored by its
///   learnt probability;
/// - a sound-alike phraseology word or pair from the ``SoundAlikeLexicon``, scored by distance;
/// - a plain copy of a word the table never saw (names, numbers it has no opinion about).
/// A beam over (position, trigram state) keeps the search linear in the transcript's length.
public struct NoisyChannelDecoder: Sendable {
    /// Weights of the decoder's score terms.
    public struct Weights: Sendable, Equatable {
        /// Weight of the language model's log-probability.
        public var languageModel = 0.5
        /// Weight of the confusion table's log-probability.
        public var confusion = 1.0
        /// Fixed cost of proposing a sound-alike that the table has not seen.
        public var soundAlikeBase = -6.0
        /// Cost per unit of normalised distance of a sound-alike.
        public var soundAlikeDistance = -6.0
        /// Score of copying a word the confusion table has never seen.
        public var unseenCopy = -3.0
        /// Pseudo-counts of "heard right" added for every heard phraseology word (one the
        /// sound-alike lexicon knows), see ``ConfusionTable/logProbability(of:heard:copyPrior:)``.
        public var copyPrior = 20.0
        /// When true, a rewrite may not change the digits of what was heard: numbers are what
        /// the recogniser gets right most often and what matters most to get right.
        public var keepDigits = false
        /// Do no harm: the rewrite is kept only when its score beats leaving the transcript as
        /// heard by at least this much per changed word; otherwise the input stands.
        public var minimumGainPerEdit = 1.5
        /// Hypotheses kept per lattice position.
        public var beamWidth = 20
        /// Share of the per-query cache prior (``CachePrior``) in the interpolated prior;
        /// 0 turns the cache off. Off by default: on the ATCOSIM dev split every weight tried
        /// (0.05–0.5, interpolating or raising only, exemplars or callsigns alone) made WER
        /// worse, since the in-domain trigram already knows the exemplars' phraseology (see
        /// docs/BENCHMARKS.md).
        public var cacheWeight = 0.0
        /// How the cache enters the prior: false interpolates, (1 − λ)·P_ngram + λ·P_cache (a
        /// distribution, but every word outside the cache pays log(1 − λ)); true only raises,
        /// max(P_ngram, λ·P_cache), so words the n-gram already expects keep their
        /// probability and words it hardly knows (a waypoint, a callsign) become possible.
        public var cacheRaisesOnly = false
        /// Cache weight of the best retrieved exemplar; one ranked r (0-based) weighs
        /// `exemplarCacheWeight` · `exemplarDecay`^r, so the best exemplar counts most.
        public var exemplarCacheWeight = 1.0
        /// See ``exemplarCacheWeight``.
        public var exemplarDecay = 0.7
        /// Whether exemplars enter the cache as whole sentences (their first word after the
        /// sentence start, the end after their last) or as fragments that may stand anywhere.
        public var exemplarBoundaries = true
        /// Cache weight of each retrieved callsign candidate's spoken form.
        public var callsignCacheWeight = 0.5
        /// λ of the context prior: the `--context` entries form a cache of their own that only
        /// raises, max(P, λ · P_context), so listed callsigns and waypoints become likely
        /// without every other word paying for them; 0 turns it off. Off by default: with a
        /// simulated surveillance list on the dev split any λ tried (0.05, 0.3) cost WER, while
        /// the sound-alike bonus alone gained (docs/BENCHMARKS.md).
        public var contextPrior = 0.0
        /// Channel bonus for proposing a retrieved callsign's telephony designator for a heard
        /// span that sounds like it.
        public var callsignBonus = 1.0
        /// How many of the best retrieved callsigns may replace a whole heard callsign span
        /// (designator words and flight number); 0 turns it off.
        public var callsignSpanCandidates = 1
        /// Fixed channel score of a whole-callsign rewrite (before the distance term and the
        /// callsign bonus).
        public var callsignSpanBase = -6.0
        /// Channel bonus for proposing a `--context` entry's words for a heard span that sounds
        /// like them.
        public var contextBonus = 2.0
        /// Channel bonus for a rewrite that the retrieved noisy pairs show for this very span.
        public var pairBonus = 2.0
        /// The defaults (chosen on the ATCOSIM dev split, never on test: docs/BENCHMARKS.md).
        public init() {}
    }

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

    /// The domain prior.
    public let languageModel: NgramLanguageModel
    /// Learnt rewrites.
    public let confusions: ConfusionTable
    /// Sound-alike proposals.
    public let lexicon: SoundAlikeLexicon
    /// Score weights.
    public var weights: Weights
    /// This query's evidence, compiled; nil for the unbiased decoder.
    public private(set) var bias: CompiledBias?

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

    /// A decoder over the given models.
    public init(languageModel: NgramLanguageModel, confusions: ConfusionTable, lexicon: SoundAlikeLexicon, weights: Weights = Weights()) {
        self.languageModel = languageModel
        self.confusions = confusions
        self.lexicon = lexicon
        self.weights = weights
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
            documents.append(.init(tokens: exemplar, weight: weight, isSentence: weights.exemplarBoundaries))
            weight *= weights.exemplarDecay
        }
        for callsign in evidence.callsigns {
            documents.append(.init(tokens: callsign.spoken, weight: weights.callsignCacheWeight, isSentence: false))
        }
        let context = evidence.context.map { CachePrior.Document(tokens: $0, weight: 1, isSentence: false) }
        let targets = evidence.callsigns.map { BiasTargets.Target(words: $0.telephony, bonus: weights.callsignBonus) }
            + evidence.context.map { BiasTargets.Target(words: $0, bonus: weights.contextBonus) }
        var copy = self
        copy.bias = CompiledBias(evidence: evidence, cache: CachePrior(documents: documents),
                                 contextCache: CachePrior(documents: context), targets: BiasTargets(targets),
                                 pairRewrites: ConfusionTable(pairs: evidence.pairs.map { (hypothesis: $0.hypothesis, reference: $0.reference) }))
        return copy
    }

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

    private var activeCache: CachePrior? {
        guard let cache = bias?.cache, !cache.isEmpty, weights.cacheWeight > 0 else { return nil }
        return cache
    }

    private var activeContext: CachePrior? {
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

    /// The steps the lattice offers at `position` of `heard` (with the query's bias, when
    /// the decoder has one).
    public func steps(at position: Int, of heard: [String]) -> [Step] {
        var steps: [Step] = []
        for length in 1...ConfusionTable.maxHypothesisSpan where position + length <= heard.count {
            let span = heard[position..<position + length]
            var rewrites = confusions.rewrites(of: span)
            let prior = length == 1 && lexicon.knows(span[span.startIndex]) ? weights.copyPrior : 0
            if prior > 0, !rewrites.isEmpty, !rewrites.contains(where: { $0.reference.elementsEqual(span) }) {
                rewrites.append(ConfusionTable.Rewrite(reference: Array(span), count: 0))
            }
            let heardDigits = weights.keepDigits ? span.filter(ATCNormalizer.isDigitToken) : []
            let shown = bias.map { $0.pairRewrites.rewrites(of: span).filter { !$0.reference.elementsEqual(span) } } ?? []
            for rewrite in rewrites {
                if weights.keepDigits, rewrite.reference.filter(ATCNormalizer.isDigitToken) != heardDigits { continue }
                var score = weights.confusion * confusions.logProbability(of: rewrite, heard: span, copyPrior: prior)
                if shown.contains(where: { $0.reference == rewrite.reference }) { score += weights.pairBonus }
                steps.append(Step(consumed: length, emitted: rewrite.reference, channelScore: score, source: .confusion))
            }
            if let bias {
                // Rewrites of the retrieved pairs that the global table does not offer here.
                for rewrite in shown where !rewrites.contains(where: { $0.reference == rewrite.reference }) {
                    if weights.keepDigits, rewrite.reference.filter(ATCNormalizer.isDigitToken) != heardDigits { continue }
                    let score = weights.confusion * bias.pairRewrites.logProbability(of: rewrite, heard: span) + weights.pairBonus
                    steps.append(Step(consumed: length, emitted: rewrite.reference, channelScore: score, source: .retrieved))
                }
                for match in bias.targets.matches(for: span) {
                    let score = weights.soundAlikeBase + weights.soundAlikeDistance * match.distance + match.target.bonus
                    steps.append(Step(consumed: length, emitted: match.target.words, channelScore: score, source: .retrieved))
                }
            }
            if length <= 2 {
                for candidate in lexicon.candidates(for: span)
                where !rewrites.contains(where: { $0.reference == candidate.words }) {
                    let score = weights.soundAlikeBase + weights.soundAlikeDistance * candidate.distance
                    steps.append(Step(consumed: length, emitted: candidate.words, channelScore: score, source: .soundAlike))
                }
            }
        }
        if position < heard.count, !confusions.knows(heard[position...position]) {
            steps.append(Step(consumed: 1, emitted: [heard[position]], channelScore: weights.unseenCopy, source: .copy))
        }
        if let bias { steps += callsignSpans(at: position, of: heard, bias: bias) }
        return steps
    }

    /// Whole-callsign steps: for the best ``Weights/callsignSpanCandidates`` retrieved callsigns
    /// and every `--context` entry with a flight number, where the heard words at `position`
    /// are up to three non-digit words followed by exactly that number, the step rewrites the
    /// span as the callsign (`left sounds are 4 7 0 0` → `lufthansa 4 7 0 0`), scored by how
    /// the words before the number sound like the designator (a dropped designator counts as
    /// distance 1) plus the callsign or context bonus.
    private func callsignSpans(at position: Int, of heard: [String], bias: CompiledBias) -> [Step] {
        guard weights.callsignSpanCandidates > 0 else { return [] }
        var candidates: [(telephony: ArraySlice<String>, number: ArraySlice<String>, bonus: Double)] = []
        for callsign in bias.evidence.callsigns.prefix(weights.callsignSpanCandidates) {
            candidates.append((callsign.spoken.prefix(callsign.telephony.count), callsign.spoken.dropFirst(callsign.telephony.count),
                               weights.callsignBonus))
        }
        for entry in bias.evidence.context {
            guard let first = entry.firstIndex(where: ATCNormalizer.isDigitToken), first > 0 else { continue }
            candidates.append((entry[..<first], entry[first...], weights.contextBonus))
        }
        var steps: [Step] = []
        for (telephony, number, bonus) in candidates {
            guard number.first.map(ATCNormalizer.isDigitToken) == true else { continue }
            var digitsStart = position
            while digitsStart < heard.count, digitsStart - position <= 3, !ATCNormalizer.isDigitToken(heard[digitsStart]) {
                digitsStart += 1
            }
            guard digitsStart - position <= 3, digitsStart + number.count <= heard.count,
                heard[digitsStart..<digitsStart + number.count].elementsEqual(number)
            else { continue }
            let spoken = heard[position..<digitsStart]
            if spoken.elementsEqual(telephony) { continue }
            let distance = spoken.isEmpty ? 1 : min(
                normalizedEditDistance(PhoneticKey.key(spoken.joined()), PhoneticKey.key(telephony.joined())),
                normalizedEditDistance(Array(spoken.joined().utf8), Array(telephony.joined().utf8)))
            let score = weights.callsignSpanBase + weights.soundAlikeDistance * distance + bonus
            steps.append(Step(consumed: digitsStart + number.count - position, emitted: Array(telephony + number),
                              channelScore: score, source: .retrieved))
        }
        return steps
    }

    private struct Hypothesis {
        var score: Double
        var words: [String]
    }

    /// One complete rewrite the decoder weighed, with its total score (channel + weighted
    /// prior, sentence end included).
    public struct Candidate: Sendable, Equatable {
        /// Canonical tokens.
        public var words: [String]
        /// Total log-domain score; higher is better.
        public var score: Double
        /// A candidate.
        public init(words: [String], score: Double) {
            self.words = words
            self.score = score
        }
    }

    /// What one decode found, for `--explain`.
    public struct Decoding: Sendable, Equatable {
        /// The output (the best rewrite, or the heard words when do-no-harm kept them).
        public var words: [String]
        /// The best rewrite the search found.
        public var best: Candidate
        /// Leaving the transcript as heard.
        public var asHeard: Candidate
        /// The best distinct rewrites left in the final beam, best first (the best included).
        public var alternatives: [Candidate]
        /// True when the best rewrite did not gain enough over the input and the input stands.
        public var keptInput: Bool
    }

    /// The best rewrite of a canonical token sequence, or the sequence itself when the
    /// rewrite does not gain enough over it (``Weights/minimumGainPerEdit``).
    public func decode(_ heard: [String]) -> [String] {
        decodeExplained(heard).words
    }

    /// As ``decode(_:)``, with the candidates weighed.
    public func decodeExplained(_ heard: [String], alternatives limit: Int = 5) -> Decoding {
        let (best, finals) = search(heard)
        let copy = Candidate(words: heard, score: score(ofCopying: heard))
        var seen = Set<[String]>()
        let alternatives = finals.filter { seen.insert($0.words).inserted }.prefix(limit)
        var result = Decoding(words: best.words, best: best, asHeard: copy, alternatives: Array(alternatives), keptInput: false)
        guard weights.minimumGainPerEdit > 0, best.words != heard else { return result }
        let edits = WordAligner.editCounts(reference: best.words, hypothesis: heard).errors
        if best.score - copy.score < weights.minimumGainPerEdit * Double(max(1, edits)) {
            result.words = heard
            result.keptInput = true
        }
        return result
    }

    /// The score of the path that leaves every heard word as it is.
    public func score(ofCopying heard: [String]) -> Double {
        var state = priorStart
        var total = 0.0
        for (position, word) in heard.enumerated() {
            let copy = steps(at: position, of: heard).filter { $0.consumed == 1 && $0.emitted == [word] }
            total += copy.map(\.channelScore).max() ?? weights.unseenCopy
            let scored = prior(word, after: state)
            total += weights.languageModel * scored.logProbability
            state = scored.next
        }
        return total + weights.languageModel * endPrior(after: state)
    }

    /// The best path and every complete path of the final beam, best first.
    private func search(_ heard: [String]) -> (best: Candidate, finals: [Candidate]) {
        guard !heard.isEmpty else { return (Candidate(words: [], score: 0), []) }
        var lattice = [[PriorState: Hypothesis]](repeating: [:], count: heard.count + 1)
        lattice[0][priorStart] = Hypothesis(score: 0, words: [])
        for position in 0..<heard.count {
            let survivors = lattice[position].sorted { $0.value.score > $1.value.score }.prefix(weights.beamWidth)
            if survivors.isEmpty { continue }
            let options = steps(at: position, of: heard)
            for (state, hypothesis) in survivors {
                for step in options {
                    let (lm, next) = prior(of: step.emitted, after: state)
                    let score = hypothesis.score + step.channelScore + weights.languageModel * lm
                    let target = position + step.consumed
                    if let existing = lattice[target][next], existing.score >= score { continue }
                    lattice[target][next] = Hypothesis(score: score, words: hypothesis.words + step.emitted)
                }
            }
        }
        let finals = lattice[heard.count].map { state, hypothesis in
            Candidate(words: hypothesis.words, score: hypothesis.score + weights.languageModel * endPrior(after: state))
        }.sorted { $0.score != $1.score ? $0.score > $1.score : $0.words.lexicographicallyPrecedes($1.words) }
        guard let best = finals.first else {
            let copy = Candidate(words: heard, score: score(ofCopying: heard))
            return (copy, [copy])
        }
        return (best, finals)
    }
}
