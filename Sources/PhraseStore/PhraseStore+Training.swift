import GRDB

/// A stored phrase as the correction engine's statistics need it.
public struct TrainingPhrase: Sendable, Equatable {
    /// Canonical form (tokens joined by one space).
    public var canonical: String
    /// How often it occurred in its corpus.
    public var occurrences: Int
    /// The corpus it came from.
    public var corpus: String
    /// True for phrases generated from templates (the embedded corpus), as opposed to real
    /// transcribed speech: the engine weighs the two differently.
    public var generated: Bool
}

extension PhraseStore {
    /// The name under which the embedded, generated corpus is imported.
    public static let embeddedCorpusName = "default"

    /// Every phrase of every corpus, in a stable order (corpus, then row id).
    public func trainingPhrases() throws(PhraseStoreError) -> [TrainingPhrase] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.canonical, p.occurrences, c.name
                FROM phrase p JOIN corpus c ON c.id = p.corpus_id
                ORDER BY c.id, p.id
                """
            ).map { row in
                let corpus: String = row[2]
                return TrainingPhrase(canonical: row[0], occurrences: row[1], corpus: corpus,
                                      generated: corpus == Self.embeddedCorpusName)
            }
        }
    }

    /// Every noisy pair of every corpus (hypothesis and reference in canonical form), in a
    /// stable order.
    public func trainingPairs() throws(PhraseStoreError) -> [NoisyPair] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT n.phrase_id, n.hypothesis, n.hypothesis_canonical, p.canonical, n.occurrences
                FROM noisy_pair n JOIN phrase p ON p.id = n.phrase_id
                ORDER BY n.corpus_id, n.id
                """
            ).map { row in
                NoisyPair(phraseID: row[0], hypothesis: row[1], hypothesisCanonical: row[2], referenceCanonical: row[3],
                          occurrences: row[4])
            }
        }
    }
}
