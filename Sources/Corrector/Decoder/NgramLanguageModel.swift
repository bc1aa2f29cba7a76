import Foundation

/// A word trigram language model with interpolated Kneser–Ney-style smoothing (absolute
/// discounting, continuation-count unigrams), trained on canonical reference phrases —
/// optionally a weighted mixture of several such models over a shared vocabulary (real
/// transcribed phrases with most of the weight, template-generated phraseology with a little,
/// so that `runway` or `taxi` stay possible where the real corpus never says them).
///
/// It is the domain prior of the noisy-channel decoder: ATC phraseology is narrow, so a small
/// n-gram over real references knows that `descend` is followed by `to flight level` far better
/// than a general-purpose LLM of this size does.
public struct NgramLanguageModel: Sendable {
    /// Word ids shared by every component; 0 is the sentence boundary.
    private var ids: [String: Int32] = ["<s>": 0]
    private var components: [Component] = []
    /// Absolute discount subtracted from every seen count.
    public let discount: Double

    /// The state before the first word of a sentence.
    public static let start = State(previous: 0, last: 0)

    /// The two preceding words, which is all a trigram model remembers.
    public struct State: Hashable, Sendable {
        let previous: Int32
        let last: Int32
    }

    /// The counts of one training corpus.
    private struct Component: Sendable {
        var weight: Double
        var unigramContinuations: [Int32: Int] = [:]
        var bigramTypes = 0
        var bigrams: [UInt64: Int] = [:]
        var bigramContext: [Int32: (count: Int, types: Int)] = [:]
        var trigrams: [UInt64: Int] = [:]
        var trigramContext: [UInt64: (count: Int, types: Int)] = [:]
    }

    /// Trains on canonical token sequences (one per phrase).
    public init<S: Sequence>(sentences: S, discount: Double = 0.75) where S.Element == [String] {
        self.init(mixture: [(Array(sentences), 1)], discount: discount)
    }

    /// Trains one component per corpus and mixes their probabilities with the given weights
    /// (normalised to sum to one; corpora with no sentences are left out).
    public init(mixture: [(sentences: [[String]], weight: Double)], discount: Double = 0.75) {
        self.discount = discount
        let used = mixture.filter { !$0.sentences.isEmpty && $0.weight > 0 }
        let totalWeight = used.reduce(0) { $0 + $1.weight }
        for (sentences, weight) in used {
            var component = Component(weight: weight / totalWeight)
            for sentence in sentences {
                var a: Int32 = 0, b: Int32 = 0
                for word in sentence + [""] {
                    let w = word.isEmpty ? 0 : id(for: word)
                    component.bigrams[Self.pack(b, w), default: 0] += 1
                    component.trigrams[Self.pack(a, b, w), default: 0] += 1
                    a = b
                    b = w
                }
            }
            for (key, count) in component.bigrams {
                let (a, w) = Self.unpack2(key)
                component.unigramContinuations[w, default: 0] += 1
                component.bigramContext[a, default: (0, 0)].count += count
                component.bigramContext[a, default: (0, 0)].types += 1
            }
            for (key, count) in component.trigrams {
                let context = key >> 21
                component.trigramContext[context, default: (0, 0)].count += count
                component.trigramContext[context, default: (0, 0)].types += 1
            }
            component.bigramTypes = component.bigrams.count
            components.append(component)
        }
    }

    private mutating func id(for word: String) -> Int32 {
        if let id = ids[word] { return id }
        let id = Int32(ids.count)
        ids[word] = id
        return id
    }

    /// The id of a word, or -1 for a word never seen in training.
    func lookup(_ word: String) -> Int32 { ids[word] ?? -1 }

    /// True when the word occurs in the training phrases.
    public func contains(_ word: String) -> Bool { ids[word] != nil }

    /// Number of distinct words seen in training.
    public var vocabularySize: Int { ids.count - 1 }

    /// The words seen in training (the sentence boundary excluded).
    public var vocabulary: [String] { ids.keys.filter { $0 != "<s>" } }

    /// log P(word | state) and the state after it; an empty word is the end of sentence.
    public func score(_ word: String, after state: State) -> (logProbability: Double, next: State) {
        let w = word.isEmpty ? 0 : lookup(word)
        return (log(probability(state.previous, state.last, w)), State(previous: state.last, last: w))
    }

    /// log P(`</s>` | state).
    public func endScore(after state: State) -> Double {
        log(probability(state.previous, state.last, 0))
    }

    private func probability(_ a: Int32, _ b: Int32, _ w: Int32) -> Double {
        var total = 0.0
        for component in components { total += component.weight * trigramProbability(component, a, b, w) }
        return total
    }

    private func unigramProbability(_ c: Component, _ w: Int32) -> Double {
        let vocabulary = Double(ids.count + 1)
        let continuations = w < 0 ? 0 : Double(c.unigramContinuations[w] ?? 0)
        return (continuations + 0.5) / (Double(c.bigramTypes) + 0.5 * vocabulary)
    }

    private func bigramProbability(_ c: Component, _ a: Int32, _ w: Int32) -> Double {
        guard a >= 0, let context = c.bigramContext[a] else { return unigramProbability(c, w) }
        let seen = w < 0 ? 0 : Double(c.bigrams[Self.pack(a, w)] ?? 0)
        let total = Double(context.count)
        return max(seen - discount, 0) / total + discount * Double(context.types) / total * unigramProbability(c, w)
    }

    private func trigramProbability(_ c: Component, _ a: Int32, _ b: Int32, _ w: Int32) -> Double {
        guard a >= 0, b >= 0, let context = c.trigramContext[Self.pack(a, b)] else { return bigramProbability(c, b, w) }
        let seen = w < 0 ? 0 : Double(c.trigrams[Self.pack(a, b, w)] ?? 0)
        let total = Double(context.count)
        return max(seen - discount, 0) / total + discount * Double(context.types) / total * bigramProbability(c, b, w)
    }

    private static func pack(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(a)) << 21 | UInt64(UInt32(b)) }
    private static func pack(_ a: Int32, _ b: Int32, _ c: Int32) -> UInt64 { pack(a, b) << 21 | UInt64(UInt32(c)) }
    private static func unpack2(_ key: UInt64) -> (Int32, Int32) {
        (Int32(truncatingIfNeeded: key >> 21), Int32(truncatingIfNeeded: key & 0x1F_FFFF))
    }
}
