import ATCText
import GRDB

/// A stored ASR hypothesis with its reference phrase, for few-shot correction examples.
public struct NoisyPair: Sendable, Equatable {
    /// The reference phrase's row id.
    public var phraseID: Int64
    /// The hypothesis as the ASR wrote it.
    public var hypothesis: String
    /// The hypothesis in canonical form.
    public var hypothesisCanonical: String
    /// The reference in canonical form.
    public var referenceCanonical: String
    /// How often this exact pair occurred.
    public var occurrences: Int
}

extension PhraseStore {
    /// The noisy pairs whose reference is one of `phraseIDs`, most frequent first.
    public func noisyPairs(forPhraseIDs phraseIDs: [Int64]) throws(PhraseStoreError) -> [NoisyPair] {
        guard !phraseIDs.isEmpty else { return [] }
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT n.phrase_id, n.hypothesis, n.hypothesis_canonical, p.canonical, n.occurrences
                FROM noisy_pair n JOIN phrase p ON p.id = n.phrase_id
                WHERE n.phrase_id IN (\(phraseIDs.map(String.init).joined(separator: ",")))
                ORDER BY n.occurrences DESC, n.id
                """
            ).map { row in
                NoisyPair(phraseID: row[0], hypothesis: row[1], hypothesisCanonical: row[2], referenceCanonical: row[3],
                          occurrences: row[4])
            }
        }
    }

    /// Airlines whose telephony designator or a spoken variant contains `fragment` (canonical
    /// form, at least three characters), via the FTS5 trigram index: for recovering a
    /// designator from a misrecognised word (`fthans` → lufthansa).
    public func airlines(matchingTelephony fragment: String, limit: Int = 10) throws(PhraseStoreError) -> [Airline] {
        let text = ATCNormalizer.canonical(fragment)
        guard text.count >= 3 else { return [] }
        let query = "\"" + text.replacingOccurrences(of: "\"", with: "") + "\""
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.icao, a.telephony, a.variants, a.name, a.country
                FROM telephony_fts f JOIN airline a ON a.id = f.rowid
                WHERE telephony_fts MATCH ? ORDER BY f.rank LIMIT ?
                """, arguments: [query, limit]
            ).map { row in
                let variants = (row[2] as String).split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                return Airline(icao: row[0], telephony: row[1], name: row[3], country: row[4],
                               spokenVariants: variants.filter { !$0.isEmpty })
            }
        }
    }

    /// Records each phrase's vector id (the HNSW build calls this), in one transaction; ids
    /// of phrases that do not exist are an error and nothing is written.
    public func setVectorIDs(_ assignments: [(phraseID: Int64, vectorID: Int64)]) throws(PhraseStoreError) {
        try write { db in
            let statement = try db.makeStatement(sql: "UPDATE phrase SET vector_id = ? WHERE id = ?")
            for assignment in assignments {
                try statement.execute(arguments: [assignment.vectorID, assignment.phraseID])
                if db.changesCount != 1 {
                    throw PhraseStoreError(file: path,
                                           message: "no phrase with id \(assignment.phraseID); vector ids were not stored")
                }
            }
        }
    }
}
