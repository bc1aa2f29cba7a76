import Foundation
import GRDB

/// A phrase as retrieval shows it: one row per distinct canonical form's representative.
public struct IndexedPhrase: Sendable, Equatable {
    /// The phrase row id.
    public var phraseID: Int64
    /// The readable phrase (numbers grouped).
    public var text: String
    /// The canonical form.
    public var canonical: String
    /// The vector id under which its canonical form is embedded, if embedded yet.
    public var vectorID: Int64?
}

/// A callsign seen in a corpus, for callsign candidates.
public struct KnownCallsign: Sendable, Equatable {
    /// The telephony designator (nil for registrations).
    public var telephony: String?
    /// The flight number in canonical tokens (`4 3 9 3`).
    public var flightNumber: String
    /// How often it occurred over all corpora.
    public var occurrences: Int

    /// A known callsign.
    public init(telephony: String?, flightNumber: String, occurrences: Int) {
        self.telephony = telephony
        self.flightNumber = flightNumber
        self.occurrences = occurrences
    }
}

extension PhraseStore {
    /// Creates the key–value table holding the vector index's metadata (model identity,
    /// embedding transform). Kept outside the versioned schema because only an index build
    /// writes it; `CREATE … IF NOT EXISTS` makes the call idempotent.
    public func ensureIndexMetadataTable() throws(PhraseStoreError) {
        try write { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS index_meta (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
        }
    }

    /// The metadata value under `key`, nil when absent (or when no index was ever built).
    public func indexMetadata(_ key: String) throws(PhraseStoreError) -> [UInt8]? {
        try read { db in
            guard try db.tableExists("index_meta") else { return nil }
            return try Data.fetchOne(db, sql: "SELECT value FROM index_meta WHERE key = ?", arguments: [key]).map { Array($0) }
        }
    }

    /// Stores all `values` in one transaction.
    public func setIndexMetadata(_ values: [String: [UInt8]]) throws(PhraseStoreError) {
        try write { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS index_meta (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
            for (key, value) in values {
                try db.execute(sql: "INSERT OR REPLACE INTO index_meta (key, value) VALUES (?, ?)",
                               arguments: [key, Data(value)])
            }
        }
    }

    /// Every distinct canonical form with the smallest phrase id holding it (its vector id)
    /// and whether every phrase of that form already has exactly that vector id (a form whose
    /// smallest id changed because a corpus was replaced is not done), ordered by that id.
    public func canonicalForms() throws(PhraseStoreError) -> [(vectorID: Int64, canonical: String, done: Bool)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT MIN(id), canonical, COUNT(*), COUNT(vector_id), MIN(vector_id), MAX(vector_id)
                FROM phrase GROUP BY canonical ORDER BY MIN(id)
                """
            ).map { row in
                let id: Int64 = row[0]
                let done = (row[2] as Int) == (row[3] as Int) && (row[4] as Int64?) == id && (row[5] as Int64?) == id
                return (vectorID: id, canonical: row[1], done: done)
            }
        }
    }

    /// Sets `vector_id` of every phrase whose canonical form is one of `forms`, in one
    /// transaction (all of them or none).
    public func assignVectorIDs(_ forms: [(vectorID: Int64, canonical: String)]) throws(PhraseStoreError) {
        try write { db in
            let statement = try db.makeStatement(sql: "UPDATE phrase SET vector_id = ? WHERE canonical = ?")
            for form in forms {
                try statement.execute(arguments: [form.vectorID, form.canonical])
            }
        }
    }

    /// One representative phrase per vector id in `vectorIDs` (the most frequent phrase of
    /// that canonical form).
    public func phrases(forVectorIDs vectorIDs: [Int64]) throws(PhraseStoreError) -> [Int64: IndexedPhrase] {
        guard !vectorIDs.isEmpty else { return [:] }
        return try read { db in
            var result: [Int64: IndexedPhrase] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT id, text, canonical, vector_id FROM phrase
                WHERE vector_id IN (\(vectorIDs.map(String.init).joined(separator: ",")))
                ORDER BY occurrences DESC, id
                """)
            {
                let vectorID: Int64 = row[3]
                if result[vectorID] == nil {
                    result[vectorID] = IndexedPhrase(phraseID: row[0], text: row[1], canonical: row[2], vectorID: vectorID)
                }
            }
            return result
        }
    }

    /// The phrases with the given row ids.
    public func phrases(forIDs ids: [Int64]) throws(PhraseStoreError) -> [Int64: IndexedPhrase] {
        guard !ids.isEmpty else { return [:] }
        return try read { db in
            var result: [Int64: IndexedPhrase] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT id, text, canonical, vector_id FROM phrase WHERE id IN (\(ids.map(String.init).joined(separator: ",")))
                """)
            {
                result[row[0]] = IndexedPhrase(phraseID: row[0], text: row[1], canonical: row[2], vectorID: row[3])
            }
            return result
        }
    }

    /// Every airline in the store.
    public func allAirlines() throws(PhraseStoreError) -> [Airline] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT icao, telephony, variants, name, country FROM airline ORDER BY id").map { row in
                let variants = (row[2] as String).split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                return Airline(icao: row[0], telephony: row[1], name: row[3], country: row[4],
                               spokenVariants: variants.filter { !$0.isEmpty })
            }
        }
    }

    /// Every telephony callsign seen in a corpus other than `excludedCorpora`, occurrences
    /// summed over corpora.
    public func knownCallsigns(excludingCorpora excludedCorpora: [String] = []) throws(PhraseStoreError) -> [KnownCallsign] {
        let placeholders = Array(repeating: "?", count: excludedCorpora.count).joined(separator: ",")
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.telephony, s.flight_number, SUM(s.occurrences) FROM callsign s JOIN corpus c ON c.id = s.corpus_id
                WHERE s.telephony IS NOT NULL AND c.name NOT IN (\(placeholders))
                GROUP BY s.telephony, s.flight_number ORDER BY s.telephony, s.flight_number
                """, arguments: StatementArguments(excludedCorpora)
            ).map { row in KnownCallsign(telephony: row[0], flightNumber: row[1], occurrences: row[2]) }
        }
    }
}

extension PhraseStore {
    /// The noisy pairs whose reference has one of the canonical forms `canonicals` (in any
    /// corpus), most frequent first, at most `limit`.
    public func noisyPairs(forCanonicals canonicals: [String], limit: Int) throws(PhraseStoreError) -> [NoisyPair] {
        guard !canonicals.isEmpty, limit > 0 else { return [] }
        let placeholders = Array(repeating: "?", count: canonicals.count).joined(separator: ",")
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT n.phrase_id, n.hypothesis, n.hypothesis_canonical, p.canonical, n.occurrences
                FROM noisy_pair n JOIN phrase p ON p.id = n.phrase_id
                WHERE p.canonical IN (\(placeholders))
                ORDER BY n.occurrences DESC, n.id LIMIT ?
                """, arguments: StatementArguments(canonicals) + [limit]
            ).map { row in
                NoisyPair(phraseID: row[0], hypothesis: row[1], hypothesisCanonical: row[2], referenceCanonical: row[3],
                          occurrences: row[4])
            }
        }
    }
}

extension PhraseStore {
    /// Every noisy pair's hypothesis (canonical) with its reference phrase, for searching the
    /// stored hypotheses: a new Whisper transcript of a known phrase tends to repeat the errors
    /// of earlier transcripts of it.
    public func hypothesesWithReferences() throws(PhraseStoreError) -> [(phraseID: Int64, hypothesis: String)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT phrase_id, hypothesis_canonical FROM noisy_pair ORDER BY id").map { row in
                (phraseID: row[0], hypothesis: row[1])
            }
        }
    }
}
