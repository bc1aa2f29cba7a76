import Foundation
import ATCText

/// Recurring ASR errors learnt from noisy → clean pairs (e.g. ATCOSIM train's Whisper
/// hypotheses and their references): hypothesis span → reference span, with counts.
///
/// Each pair is word-aligned; every maximal run of non-matching alignment steps becomes one
/// substitution of up to ``maxHypothesisSpan`` hypothesis words by up to
/// ``maxReferenceSpan`` reference words (`d sign` → `descend`, `line` → `rhein`, `0` → ``).
/// Matches are counted too (`descend` → `descend`), so the table also knows how often a word
/// is right as heard; with the span occurrence counts that gives P(reference span | heard span).
public struct ConfusionTable: Sendable {
    /// Longest hypothesis span kept as one entry.
    public static let maxHypothesisSpan = 3
    /// Longest reference span kept as one entry.
    public static let maxReferenceSpan = 4

    /// One way a heard span was written in the references, and how often.
    public struct Rewrite: Sendable, Equatable {
        /// The reference words (may be empty: the heard words were spurious).
        public var reference: [String]
        /// How often the pairs showed this rewrite (single-word substitutions found inside a
        /// longer error region count one half).
        public var count: Double

        /// A rewrite seen `count` times.
        public init(reference: [String], count: Double) {
            self.reference = reference
            self.count = count
        }
    }

    /// Rewrites per heard span (its canonical tokens).
    public private(set) var rewrites: [[String]: [Rewrite]] = [:]
    /// How often each heard span of 1...maxHypothesisSpan words occurs in the hypotheses.
    public private(set) var occurrences: [[String]: Int] = [:]
    /// Number of pairs the table was learnt from.
    public private(set) var pairCount = 0

    /// An empty table.
    public init() {}

    /// Learns from canonical token sequences of hypotheses and their references.
    public init<S: Sequence>(pairs: S) where S.Element == (hypothesis: [String], reference: [String]) {
        var counts: [[String]: [[String]: Double]] = [:]
        for (hypothesis, reference) in pairs {
            pairCount += 1
            for length in 1...Self.maxHypothesisSpan where hypothesis.count >= length {
                for start in 0...(hypothesis.count - length) {
                    occurrences[Array(hypothesis[start..<start + length]), default: 0] += 1
                }
            }
            let ops = WordAligner.align(reference: reference, hypothesis: hypothesis)
            var index = 0
            while index < ops.count {
                if case .match(let word) = ops[index] {
                    counts[[word], default: [:]][[word], default: 0] += 1
                    index += 1
                    continue
                }
                let start = index
                while index < ops.count, !ops[index].isMatch { index += 1 }
                let region = ops[start..<index]
                let heard = region.compactMap(\.hypothesisWord)
                let meant = region.compactMap(\.referenceWord)
                if !heard.isEmpty, heard.count <= Self.maxHypothesisSpan, meant.count <= Self.maxReferenceSpan {
                    counts[heard, default: [:]][meant, default: 0] += 1
                }
                // Inside a longer region the single-word substitutions are weaker evidence of
                // their own, worth keeping for when the same word turns up in another context.
                if heard.count > 1 || meant.count > 1 {
                    for case .substitute(let reference, let hypothesis) in region {
                        counts[[hypothesis], default: [:]][[reference], default: 0] += 0.5
                    }
                }
            }
        }
        for (heard, targets) in counts {
            rewrites[heard] = targets
                .map { Rewrite(reference: $0.key, count: $0.value) }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.reference.lexicographicallyPrecedes($1.reference) }
        }
    }

    /// The rewrites seen for a heard span, most frequent first.
    public func rewrites(of heard: ArraySlice<String>) -> [Rewrite] {
        rewrites[Array(heard)] ?? []
    }

    /// log P(reference | heard), estimated as count / (occurrences + 1) so that a rewrite seen
    /// once for a span heard a thousand times stays unlikely.
    ///
    /// `copyPrior` adds that many pseudo-observations of the heard span being right as heard
    /// (the copy rewrite `w → w`): with sparse counts a word heard three times and "corrected"
    /// twice should not be rewritten with confidence, least of all outside the pairs' domain.
    public func logProbability(of rewrite: Rewrite, heard: ArraySlice<String>, copyPrior: Double = 0) -> Double {
        let seen = Double(occurrences[Array(heard)] ?? 0)
        let isCopy = rewrite.reference.elementsEqual(heard)
        return log((rewrite.count + (isCopy ? copyPrior : 0)) / (seen + 1 + copyPrior))
    }

    /// True when the table has any entry for a heard span (a known word, right or wrong).
    public func knows(_ heard: ArraySlice<String>) -> Bool {
        rewrites[Array(heard)] != nil
    }
}

extension AlignmentOp {
    var isMatch: Bool {
        if case .match = self { return true }
        return false
    }
    var hypothesisWord: String? {
        switch self {
        case .match(let word), .insert(let word): word
        case .substitute(_, let hypothesis): hypothesis
        case .delete: nil
        }
    }
    var referenceWord: String? {
        switch self {
        case .match(let word), .delete(let word): word
        case .substitute(let reference, _): reference
        case .insert: nil
        }
    }
}
