import Foundation

/// A word trigram language model with interpolated Kneser–Ney-style smoothing (absolute
/// discounting, continuation-count unigrams), trained on canonical reference phrases.
///
/// It is the domain prior of the noisy-channel decoder: ATC phraseology is narrow, so a small
/// n-gram over real references knows that `descend` is followed by `to flight level` far better
/// than a general-purpose LLM of this size does.
public struct NgramLanguageModel: Sendable {
    /// Word ids; 0 is the sentence boundary.
    private var ids: [String: Int32] = ["<s>": 0]
    private var unigramContinuations: [Int32: Int] = [:]
    private var bigramTypes = 0
    private var bigrams: [UInt64: Int] = [:]
    private var bigramContext: [Int32: (count: Int, types: Int)] = [:]
    private var trigrams: [UInt64: Int] = [:]
    private var trigramContext: [UInt64: (count: Int, types: Int)] = [:]
    /// Absolute discount subtracted from every seen count.
    public let discount: Double

    /// The state before the first word of a sentence.
    public static let start = State(previous: 0, last: 0)

    /// The two preceding words, which is all a trigram model remembers.
    public struct State: Hashable, Sendable {
        let previous: Int32
        let last: Int32
    }

    /// Trains on canonical token sequences (one per phrase).
    public init<S: Sequence>(sentences: S, discount: Double = 0.75) where S.Element == [String] {
        self.discount = discount
        var bigramCounts: [UInt64: Int] = [:]
        var trigramCounts: [UInt64: Int] = [:]
        for sentence in sentences {
            var a: Int32 = 0, b: Int32 = 0
            for word in sentence + [""] {
                let w = word.isEmpty ? 0 : id(for: word)
                bigramCounts[Self.pack(b, w), default: 0] += 1
                trigramCounts[Self.pack(a, b, w), default: 0] += 1
                a = b
                b = w
            }
        }
        for (key, count) in bigramCounts {
            let (a, w) = Self.unpack2(key)
            unigramContinuations[w, default: 0] += 1
            bigramContext[a, default: (0, 0)].count += count
            bigramContext[a, default: (0, 0)].types += 1
        }
        for (key, count) in trigramCounts {
            let context = key >> 21
            trigramContext[context, default: (0, 0)].count += count
            trigramContext[context, default: (0, 0)].types += 1
        }
        bigramTypes = bigramCounts.count
        bigrams = bigramCounts
        trigrams = trigramCounts
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
        return (log(trigramProbability(state.previous, state.last, w)), State(previous: state.last, last: w))
    }

    /// log P(`</s>` | state).
    public func endScore(after state: State) -> Double {
        log(trigramProbability(state.previous, state.last, 0))
    }

    private func unigramProbability(_ w: Int32) -> Double {
        let vocabulary = Double(ids.count + 1)
        let continuations = w < 0 ? 0 : Double(unigramContinuations[w] ?? 0)
        return (continuations + 0.5) / (Double(bigramTypes) + 0.5 * vocabulary)
    }

    private func bigramProbability(_ a: Int32, _ w: Int32) -> Double {
        guard a >= 0, let context = bigramContext[a] else { return unigramProbability(w) }
        let seen = w < 0 ? 0 : Double(bigrams[Self.pack(a, w)] ?? 0)
        let total = Double(context.count)
        return max(seen - discount, 0) / total + discount * Double(context.types) / total * unigramProbability(w)
    }

    private func trigramProbability(_ a: Int32, _ b: Int32, _ w: Int32) -> Double {
        guard a >= 0, b >= 0, let context = trigramContext[Self.pack(a, b)] else { return bigramProbability(b, w) }
        let seen = w < 0 ? 0 : Double(trigrams[Self.pack(a, b, w)] ?? 0)
        let total = Double(context.count)
        return max(seen - discount, 0) / total + discount * Double(context.types) / total * bigramProbability(b, w)
    }

    private static func pack(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(a)) << 21 | UInt64(UInt32(b)) }
    private static func pack(_ a: Int32, _ b: Int32, _ c: Int32) -> UInt64 { pack(a, b) << 21 | UInt64(UInt32(c)) }
    private static func unpack2(_ key: UInt64) -> (Int32, Int32) {
        (Int32(truncatingIfNeeded: key >> 21), Int32(truncatingIfNeeded: key & 0x1F_FFFF))
    }
}
