import ATCText
import GRDB

extension PhraseStore {
    /// Counts over the whole store and per corpus.
    public func statistics() throws(PhraseStoreError) -> StoreStatistics {
        try read { db in
            var corpora: [StoreStatistics.Corpus] = []
            for row in try Row.fetchAll(db, sql: "SELECT * FROM corpus ORDER BY id") {
                let id: Int64 = row["id"]
                var vocabulary = Set<Substring>()
                let canonicals = try String.fetchCursor(db, sql: "SELECT canonical FROM phrase WHERE corpus_id = ?",
                                                        arguments: [id])
                while let canonical = try canonicals.next() {
                    vocabulary.formUnion(canonical.split(separator: " "))
                }
                let occurrences = try Int.fetchOne(
                    db, sql: "SELECT COALESCE(SUM(occurrences), 0) FROM phrase WHERE corpus_id = ?", arguments: [id]) ?? 0
                corpora.append(StoreStatistics.Corpus(
                    name: row["name"], source: row["source"], licence: row["licence"], importedAt: row["imported_at"],
                    rowsRead: row["rows_read"], phrases: row["phrase_count"], occurrences: occurrences,
                    noisyPairs: row["noisy_pair_count"], callsigns: row["callsign_count"], vocabulary: vocabulary.count))
            }
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            return StoreStatistics(
                phrases: try count("SELECT COUNT(*) FROM phrase"),
                noisyPairs: try count("SELECT COUNT(*) FROM noisy_pair"),
                airlines: try count("SELECT COUNT(*) FROM airline"),
                callsigns: try count("SELECT COUNT(*) FROM callsign"),
                phrasesWithVectors: try count("SELECT COUNT(*) FROM phrase WHERE vector_id IS NOT NULL"),
                corpora: corpora)
        }
    }

    /// The FTS5 query used for `text`: its canonical words of three or more characters and
    /// its adjacent token pairs (so single digits still take part: `4 3` is a trigram),
    /// OR-ed, each quoted as a substring match. Nil when nothing is long enough to match.
    public static func lexicalQuery(for text: String) -> String? {
        let tokens = ATCNormalizer.canonicalTokens(text)
        var terms: [String] = []
        var seen = Set<String>()
        func add(_ term: String) {
            if term.count >= 3, seen.insert(term).inserted { terms.append("\"" + term + "\"") }
        }
        for (index, token) in tokens.enumerated() {
            add(token)
            if index + 1 < tokens.count, token.count < 3 || tokens[index + 1].count < 3 {
                add(token + " " + tokens[index + 1])
            }
        }
        return terms.isEmpty ? nil : terms.joined(separator: " OR ")
    }

    /// The `limit` phrases whose canonical form best matches `text` lexically, by BM25 over
    /// words and digit pairs in the in-memory ``LexicalIndex`` (built from the database on
    /// first use; misrecognised words are matched to similar vocabulary words).
    public func search(_ text: String, limit: Int = 10) throws(PhraseStoreError) -> [SearchHit] {
        let index = try lexicalIndex()
        let hits = index.search(ATCNormalizer.canonicalTokens(text), limit: limit)
        guard !hits.isEmpty else { return [] }
        let rows = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.id, c.name, p.text, p.canonical, p.occurrences
                FROM phrase p JOIN corpus c ON c.id = p.corpus_id
                WHERE p.id IN (\(hits.map { String($0.phraseID) }.joined(separator: ",")))
                """)
        }
        var byID: [Int64: Row] = [:]
        for row in rows { byID[row[0]] = row }
        return hits.compactMap { hit in
            byID[hit.phraseID].map { row in
                SearchHit(phraseID: hit.phraseID, corpus: row[1], text: row[2], canonical: row[3], occurrences: row[4],
                          rank: -hit.score)
            }
        }
    }

    /// The lexical index over every phrase, built once per store and import.
    public func lexicalIndex() throws(PhraseStoreError) -> LexicalIndex {
        if let cached = lexicalIndexCache.value { return cached }
        let documents = try read { db in
            try Row.fetchAll(db, sql: "SELECT id, canonical FROM phrase ORDER BY id").map { row in
                (id: row[0] as Int64, canonical: row[1] as String)
            }
        }
        let index = LexicalIndex(documents: documents)
        lexicalIndexCache.value = index
        return index
    }

    /// The `limit` phrases whose canonical form best matches `text` by the FTS5 trigram index:
    /// substring matches of its words and token pairs, OR-ed, ranked by SQLite's bm25. Slower
    /// than ``search(_:limit:)`` on common words (see docs/BENCHMARKS.md) but needs no
    /// in-memory index and matches inside words.
    public func searchFTS(_ text: String, limit: Int = 10) throws(PhraseStoreError) -> [SearchHit] {
        guard let query = Self.lexicalQuery(for: text) else { return [] }
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.id, c.name, p.text, p.canonical, p.occurrences, f.rank
                FROM (SELECT rowid, rank FROM phrase_fts WHERE phrase_fts MATCH ? ORDER BY rank LIMIT ?) AS f
                JOIN phrase p ON p.id = f.rowid
                JOIN corpus c ON c.id = p.corpus_id
                ORDER BY f.rank
                """, arguments: [query, limit]
            ).map { row in
                SearchHit(phraseID: row[0], corpus: row[1], text: row[2], canonical: row[3], occurrences: row[4],
                          rank: row[5])
            }
        }
    }
}
