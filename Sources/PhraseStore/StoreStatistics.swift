/// Counts describing a phrase store, overall and per corpus.
public struct StoreStatistics: Sendable, Equatable, Codable {
    /// One corpus's counts.
    public struct Corpus: Sendable, Equatable, Codable {
        /// Corpus name.
        public var name: String
        /// Where it was imported from.
        public var source: String
        /// Licence note.
        public var licence: String
        /// Import time (ISO 8601).
        public var importedAt: String
        /// Rows or lines read.
        public var rowsRead: Int
        /// Distinct phrases.
        public var phrases: Int
        /// Total occurrences over its phrases (rows merged into them).
        public var occurrences: Int
        /// Distinct noisy pairs.
        public var noisyPairs: Int
        /// Distinct callsigns.
        public var callsigns: Int
        /// Distinct canonical tokens over its phrases.
        public var vocabulary: Int

        enum CodingKeys: String, CodingKey {
            case name, source, licence, importedAt = "imported_at", rowsRead = "rows_read", phrases, occurrences
            case noisyPairs = "noisy_pairs", callsigns, vocabulary
        }
    }

    /// Distinct phrases over all corpora (per-corpus rows).
    public var phrases: Int
    /// Noisy pairs over all corpora.
    public var noisyPairs: Int
    /// Airlines in the directory.
    public var airlines: Int
    /// Callsigns over all corpora.
    public var callsigns: Int
    /// Phrases that have a vector id.
    public var phrasesWithVectors: Int
    /// Per-corpus counts.
    public var corpora: [Corpus]

    enum CodingKeys: String, CodingKey {
        case phrases, noisyPairs = "noisy_pairs", airlines, callsigns, phrasesWithVectors = "phrases_with_vectors"
        case corpora
    }
}

/// One lexical search result.
public struct SearchHit: Sendable, Equatable {
    /// The phrase row id.
    public var phraseID: Int64
    /// The corpus it belongs to.
    public var corpus: String
    /// Readable text.
    public var text: String
    /// Canonical form.
    public var canonical: String
    /// How often it occurred in its corpus.
    public var occurrences: Int
    /// FTS5 bm25 rank (lower is better).
    public var rank: Double
}
