import ATCText

/// An in-memory BM25 index over phrase normal forms: the fast path of lexical search.
///
/// Why not rank with FTS5's `bm25()`: ranking an OR query over common ATC words makes SQLite
/// score every matching row from its position lists, tens of milliseconds per query on this
/// store (see docs/BENCHMARKS.md), while the posting lists here are small arrays scored in
/// well under a millisecond. The FTS5 trigram index stays the place for substring lookups
/// (``PhraseStore/searchFTS(_:limit:)``); ``LexicalReference`` is the plain brute-force
/// scorer the tests compare this index against.
///
/// Query words that are not in the vocabulary (misrecognitions) are replaced by the most
/// similar vocabulary word sharing their first two letters, by letter-trigram Dice
/// similarity of at least ``fuzzyThreshold``, weighted by that similarity.
public struct LexicalIndex: Sendable {
    /// A scored result.
    public struct Hit: Sendable, Equatable {
        /// The phrase row id.
        public var phraseID: Int64
        /// BM25 score (higher is better).
        public var score: Double
    }

    struct Posting: Sendable {
        var document: Int32
        var termFrequency: UInt16
    }

    /// Minimum trigram Dice similarity for a fuzzy replacement.
    public static let fuzzyThreshold = 0.4

    let phraseIDs: [Int64]
    let lengths: [Int32]
    let averageLength: Double
    let postings: [String: [Posting]]
    let wordsByPrefix: [String: [(word: String, trigrams: Set<String>)]]

    /// Number of indexed phrases.
    public var count: Int { phraseIDs.count }

    /// Indexes `documents` (phrase id and canonical form).
    public init(documents: [(id: Int64, canonical: String)]) {
        var phraseIDs: [Int64] = []
        var lengths: [Int32] = []
        var postings: [String: [Posting]] = [:]
        phraseIDs.reserveCapacity(documents.count)
        lengths.reserveCapacity(documents.count)
        var totalLength = 0
        for (index, document) in documents.enumerated() {
            let terms = LexicalTerms.terms(of: document.canonical.split(separator: " ").map(String.init))
            phraseIDs.append(document.id)
            lengths.append(Int32(terms.count))
            totalLength += terms.count
            var frequencies: [String: Int] = [:]
            for term in terms { frequencies[term, default: 0] += 1 }
            for (term, frequency) in frequencies {
                postings[term, default: []].append(Posting(document: Int32(index), termFrequency: UInt16(min(frequency, 65_535))))
            }
        }
        var wordsByPrefix: [String: [(word: String, trigrams: Set<String>)]] = [:]
        for term in postings.keys where !term.contains(" ") && term.count >= 3 {
            wordsByPrefix[String(term.prefix(2)), default: []].append((term, LexicalTerms.trigrams(term)))
        }
        self.phraseIDs = phraseIDs
        self.lengths = lengths
        self.averageLength = documents.isEmpty ? 1 : Double(totalLength) / Double(documents.count)
        self.postings = postings
        self.wordsByPrefix = wordsByPrefix
    }

    /// The distinct query terms of `tokens` with their weights: 1 for known terms, the
    /// similarity for fuzzy replacements; unknown terms without a close word are dropped.
    public func weightedQueryTerms(_ tokens: [String]) -> [(term: String, weight: Double)] {
        var result: [(term: String, weight: Double)] = []
        var seen = Set<String>()
        for term in LexicalTerms.terms(of: tokens) {
            if postings[term] != nil {
                if seen.insert(term).inserted { result.append((term, 1)) }
            } else if !term.contains(" "), term.count >= 4, let candidates = wordsByPrefix[String(term.prefix(2))] {
                let trigrams = LexicalTerms.trigrams(term)
                var best: (word: String, similarity: Double)?
                for candidate in candidates {
                    let similarity = LexicalTerms.dice(trigrams, candidate.trigrams)
                    if similarity >= Self.fuzzyThreshold,
                       best == nil || similarity > best!.similarity
                        || (similarity == best!.similarity && candidate.word < best!.word)
                    {
                        best = (candidate.word, similarity)
                    }
                }
                if let best, seen.insert(best.word).inserted { result.append((best.word, best.similarity)) }
            }
        }
        return result
    }

    /// The `limit` best phrases for canonical `tokens` by BM25, best first; ties by phrase id.
    public func search(_ tokens: [String], limit: Int) -> [Hit] {
        guard limit > 0, !phraseIDs.isEmpty else { return [] }
        var scores = [Double](repeating: 0, count: phraseIDs.count)
        var touched: [Int32] = []
        for (term, weight) in weightedQueryTerms(tokens) {
            guard let list = postings[term] else { continue }
            let idf = BM25.idf(documentCount: phraseIDs.count, documentFrequency: list.count) * weight
            for posting in list {
                let document = Int(posting.document)
                if scores[document] == 0 { touched.append(posting.document) }
                scores[document] += BM25.weight(idf: idf, termFrequency: Int(posting.termFrequency),
                                                length: Int(lengths[document]), averageLength: averageLength)
            }
        }
        // Keep the best `limit` in a small sorted buffer: touched lists can be long, limit is small.
        var best: [Hit] = []
        best.reserveCapacity(limit + 1)
        for document in touched {
            let hit = Hit(phraseID: phraseIDs[Int(document)], score: scores[Int(document)])
            if best.count == limit, let last = best.last, !Self.ranksBefore(hit, last) { continue }
            let position = best.firstIndex { Self.ranksBefore(hit, $0) } ?? best.count
            best.insert(hit, at: position)
            if best.count > limit { best.removeLast() }
        }
        return best
    }

    static func ranksBefore(_ a: Hit, _ b: Hit) -> Bool {
        a.score != b.score ? a.score > b.score : a.phraseID < b.phraseID
    }
}

/// The reference for ``LexicalIndex``: BM25 computed the obvious way, by scanning every
/// document for every query, with no posting lists. Slow; for tests only.
public enum LexicalReference {
    /// The `limit` best documents for the weighted query terms, best first; ties by id.
    public static func search(
        documents: [(id: Int64, canonical: String)], queryTerms: [(term: String, weight: Double)], limit: Int
    ) -> [LexicalIndex.Hit] {
        let termLists = documents.map { LexicalTerms.terms(of: $0.canonical.split(separator: " ").map(String.init)) }
        let averageLength = Double(termLists.reduce(0) { $0 + $1.count }) / Double(max(documents.count, 1))
        let documentFrequencies = queryTerms.map { query in termLists.filter { $0.contains(query.term) }.count }
        var hits: [LexicalIndex.Hit] = []
        for (index, document) in documents.enumerated() {
            var score = 0.0
            for (termIndex, (term, weight)) in queryTerms.enumerated() {
                let frequency = termLists[index].filter { $0 == term }.count
                guard frequency > 0 else { continue }
                let idf = BM25.idf(documentCount: documents.count, documentFrequency: documentFrequencies[termIndex]) * weight
                score += BM25.weight(idf: idf, termFrequency: frequency, length: termLists[index].count,
                                     averageLength: averageLength)
            }
            if score > 0 { hits.append(.init(phraseID: document.id, score: score)) }
        }
        hits.sort { LexicalIndex.ranksBefore($0, $1) }
        return Array(hits.prefix(limit))
    }
}
