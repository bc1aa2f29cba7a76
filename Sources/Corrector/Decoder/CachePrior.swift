import ATCText

/// A tiny word trigram model over the phrases one query brought with it — retrieved exemplars,
/// callsign candidates, the `--context` list — interpolated into the decoder's prior so that
/// the words and word orders of what is likely being said become cheaper for this utterance
/// only (a cache language model in the speech-recognition sense).
///
/// Digits are one class in the cache: a neighbour's flight level or frequency says that
/// *a number* comes next, not which, and letting its digits leak into this utterance changes
/// numbers the recogniser got right. The class's probability is shared evenly by the ten digits.
///
/// Probabilities are interpolated maximum-likelihood estimates over weighted counts: a
/// trigram context seen in the cache gives 0.5 · trigram + 0.3 · bigram + 0.2 · unigram, a
/// bigram context 0.6 · bigram + 0.4 · unigram, else the unigram. Each level is a distribution
/// over the cache's words and the sentence end, so the mixture is one too; a word outside the
/// cache has probability 0 here and lives on through the main n-gram's share of the mixture.
public struct CachePrior: Sendable {
    /// One phrase of evidence.
    public struct Document: Sendable, Equatable {
        /// Canonical tokens.
        public var tokens: [String]
        /// How much the phrase counts (an exemplar ranked first may count more than the fifth).
        public var weight: Double
        /// True for whole utterances (exemplars): their first word follows the sentence start
        /// and the sentence end follows their last. A fragment (a callsign, a waypoint) can
        /// stand anywhere, so it contributes no boundary events.
        public var isSentence: Bool

        /// A document.
        public init(tokens: [String], weight: Double, isSentence: Bool) {
            self.tokens = tokens
            self.weight = weight
            self.isSentence = isSentence
        }
    }

    /// Local word ids; 0 is the sentence boundary, -1 a word outside the cache.
    private var ids: [String: Int32] = [:]
    private var unigrams: [Int32: Double] = [:]
    private var unigramTotal = 0.0
    private var bigrams: [Pair: Double] = [:]
    private var bigramContexts: [Int32: Double] = [:]
    private var trigrams: [Triple: Double] = [:]
    private var trigramContexts: [Pair: Double] = [:]

    private struct Pair: Hashable, Sendable {
        let a: Int32
        let b: Int32
    }
    private struct Triple: Hashable, Sendable {
        let a: Int32
        let b: Int32
        let c: Int32
    }

    /// The cache's state: the local ids of the last two words.
    public struct State: Hashable, Sendable {
        let previous: Int32
        let last: Int32
    }

    /// The state at the start of an utterance.
    public static let start = State(previous: 0, last: 0)

    /// Counts the documents (those with no tokens or no weight are ignored).
    public init(documents: [Document]) {
        for document in documents where !document.tokens.isEmpty && document.weight > 0 {
            let words = document.tokens.map { id(for: Self.cacheWord($0)) }
            let sequence: [Int32] = document.isSentence ? [0, 0] + words + [0] : words
            let firstPredicted = document.isSentence ? 2 : 0
            for index in firstPredicted..<sequence.count {
                let w = sequence[index]
                unigrams[w, default: 0] += document.weight
                unigramTotal += document.weight
                if index >= 1 {
                    let v = sequence[index - 1]
                    bigrams[Pair(a: v, b: w), default: 0] += document.weight
                    bigramContexts[v, default: 0] += document.weight
                }
                if index >= 2 {
                    let (u, v) = (sequence[index - 2], sequence[index - 1])
                    trigrams[Triple(a: u, b: v, c: w), default: 0] += document.weight
                    let context = Pair(a: u, b: v)
                    trigramContexts[context, default: 0] += document.weight
                }
            }
        }
    }

    /// The digit class's key (not a canonical token, so it cannot clash with a word).
    static let digitClass = "<digit>"

    private static func cacheWord(_ word: String) -> String {
        ATCNormalizer.isDigitToken(word) ? digitClass : word
    }

    private mutating func id(for word: String) -> Int32 {
        if let id = ids[word] { return id }
        let id = Int32(ids.count + 1)
        ids[word] = id
        return id
    }

    /// True when nothing was counted (the cache then never changes a probability).
    public var isEmpty: Bool { unigramTotal == 0 }

    /// The distinct words in the cache.
    public var words: [String] { Array(ids.keys) }

    /// P_cache(word | state) and the state after it; an empty word is the sentence end.
    public func probability(_ word: String, after state: State) -> (probability: Double, next: State) {
        let isDigit = ATCNormalizer.isDigitToken(word)
        let w: Int32 = word.isEmpty ? 0 : (ids[isDigit ? Self.digitClass : word] ?? -1)
        let classProbability = probability(w, state)
        return (isDigit ? classProbability / 10 : classProbability, State(previous: state.last, last: w))
    }

    private func probability(_ w: Int32, _ state: State) -> Double {
        guard unigramTotal > 0, w >= 0 else { return 0 }
        let unigram = (unigrams[w] ?? 0) / unigramTotal
        guard state.last >= 0, let bigramTotal = bigramContexts[state.last] else { return unigram }
        let bigram = (bigrams[Pair(a: state.last, b: w)] ?? 0) / bigramTotal
        let context = Pair(a: state.previous, b: state.last)
        guard state.previous >= 0, let trigramTotal = trigramContexts[context] else { return 0.6 * bigram + 0.4 * unigram }
        let trigram = (trigrams[Triple(a: state.previous, b: state.last, c: w)] ?? 0) / trigramTotal
        return 0.5 * trigram + 0.3 * bigram + 0.2 * unigram
    }
}
