import ATCText
import Synchronization

/// Phraseology words and word pairs that a heard span may have been meant as, found by
/// spelling and sound similarity (``PhoneticKey``): how `veria` can become `iberia` and
/// `kuntag` `guten tag` even though the confusion table never saw them.
public struct SoundAlikeLexicon: Sendable {
    struct Entry: Sendable {
        let words: [String]
        let spelling: [UInt8]
        let key: [UInt8]
    }
    private let entries: [Entry]
    /// Every single word the lexicon can propose.
    private let words: Set<String>
    /// Answers already computed: the same heard words recur across utterances, and scanning
    /// the whole lexicon is the decoder's most expensive step.
    private let memo = Memo()
    final class Memo: Sendable {
        let answers = Mutex<[[String]: [(words: [String], distance: Double)]]>([:])
    }
    /// Largest normalised distance accepted as a sound-alike.
    public let maxDistance: Double
    /// Most candidates returned per heard span.
    public let maxCandidates: Int

    /// Builds the lexicon from canonical phrases: every non-digit word and adjacent non-digit
    /// word pair seen at least `minimumCount` times with three or more letters.
    public init<S: Sequence>(
        phrases: S, minimumCount: Int = 2, maxDistance: Double = 0.45, maxCandidates: Int = 8
    ) where S.Element == [String] {
        var counts: [[String]: Int] = [:]
        for phrase in phrases {
            for (index, word) in phrase.enumerated() where !ATCNormalizer.isDigitToken(word) {
                counts[[word], default: 0] += 1
                if index + 1 < phrase.count, !ATCNormalizer.isDigitToken(phrase[index + 1]) {
                    counts[[word, phrase[index + 1]], default: 0] += 1
                }
            }
        }
        entries = counts
            .filter { $0.value >= minimumCount && $0.key.reduce(0) { $0 + $1.utf8.count } >= 3 }
            .keys
            .sorted { $0.lexicographicallyPrecedes($1) }
            .map { words in
                let spelling = Array(words.joined().utf8)
                return Entry(words: words, spelling: spelling, key: PhoneticKey.key(words.joined()))
            }
        words = Set(entries.filter { $0.words.count == 1 }.map { $0.words[0] })
        self.maxDistance = maxDistance
        self.maxCandidates = maxCandidates
    }

    /// True when `word` is a phraseology word of the lexicon (seen often enough to propose).
    public func knows(_ word: String) -> Bool { words.contains(word) }

    /// Number of words and pairs the lexicon can propose.
    public var count: Int { entries.count }

    /// Candidates for a heard span, nearest first, each with its distance in 0...maxDistance.
    /// Spans with digits or fewer than three letters get none: too little to go on.
    public func candidates(for heard: ArraySlice<String>) -> [(words: [String], distance: Double)] {
        let query = Array(heard)
        if let known = memo.answers.withLock({ $0[query] }) { return known }
        let found = scan(heard)
        memo.answers.withLock { $0[query] = found }
        return found
    }

    private func scan(_ heard: ArraySlice<String>) -> [(words: [String], distance: Double)] {
        guard !heard.contains(where: ATCNormalizer.isDigitToken) else { return [] }
        let spelling = Array(heard.joined().utf8)
        guard spelling.count >= 3 else { return [] }
        let key = PhoneticKey.key(heard.joined())
        var found: [(words: [String], distance: Double)] = []
        for entry in entries where abs(entry.key.count - key.count) <= 3 {
            let byKey = EditDistance.normalized(key, entry.key, limit: maxDistance)
            let bySpelling = EditDistance.normalized(spelling, entry.spelling, limit: maxDistance)
            if let distance = [byKey, bySpelling].compactMap({ $0 }).min() { found.append((entry.words, distance)) }
        }
        found.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.words.lexicographicallyPrecedes($1.words) }
        return Array(found.prefix(maxCandidates))
    }
}
