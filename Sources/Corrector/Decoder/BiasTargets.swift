import ATCText

/// Words one query makes likely — the telephony designators of its callsign candidates
/// (`air malta`, `hamburg air`), the callsigns and waypoints of a `--context` list — matched
/// against heard spans of one to three words by spelling and sound (``PhoneticKey``), as the
/// ``SoundAlikeLexicon`` does for the whole phraseology; but any length of target is allowed
/// (`german air force` for `gemini forceful`), no minimum count, and each target carries its
/// own bonus.
public struct BiasTargets: Sendable {
    /// One target.
    public struct Target: Sendable, Equatable {
        /// The canonical words to propose.
        public var words: [String]
        /// Added to the channel score of proposing it (log domain).
        public var bonus: Double
        /// A target.
        public init(words: [String], bonus: Double) {
            self.words = words
            self.bonus = bonus
        }
    }

    private struct Entry: Sendable {
        let target: Target
        let spelling: [UInt8]
        let key: [UInt8]
    }

    private let entries: [Entry]
    /// Largest normalised distance accepted.
    public let maxDistance: Double

    /// The targets (digits dropped from each: numbers are the input's business; a target left
    /// with fewer than three letters is ignored, and of repeated targets the higher bonus stays).
    public init(_ targets: [Target], maxDistance: Double = 0.45) {
        var best: [[String]: Double] = [:]
        for target in targets {
            let words = target.words.filter { !ATCNormalizer.isDigitToken($0) }
            guard words.reduce(0, { $0 + $1.utf8.count }) >= 3 else { continue }
            best[words] = max(best[words] ?? -.infinity, target.bonus)
        }
        entries = best.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { words in
            Entry(target: Target(words: words, bonus: best[words]!), spelling: Array(words.joined().utf8),
                  key: PhoneticKey.key(words.joined()))
        }
        self.maxDistance = maxDistance
    }

    /// True when there is nothing to propose.
    public var isEmpty: Bool { entries.isEmpty }

    /// The targets that a heard span may have been meant as, with their distance in
    /// 0...maxDistance (0 when the span is the target). Spans with digits or under three
    /// letters get none.
    public func matches(for heard: ArraySlice<String>) -> [(target: Target, distance: Double)] {
        guard !entries.isEmpty, !heard.contains(where: ATCNormalizer.isDigitToken) else { return [] }
        let spelling = Array(heard.joined().utf8)
        guard spelling.count >= 3 else { return [] }
        let key = PhoneticKey.key(heard.joined())
        var found: [(target: Target, distance: Double)] = []
        for entry in entries where abs(entry.key.count - key.count) <= 3 {
            let byKey = EditDistance.normalized(key, entry.key, limit: maxDistance)
            let bySpelling = EditDistance.normalized(spelling, entry.spelling, limit: maxDistance)
            if let distance = [byKey, bySpelling].compactMap({ $0 }).min() { found.append((entry.target, distance)) }
        }
        return found
    }
}
