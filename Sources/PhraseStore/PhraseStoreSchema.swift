import GRDB

/// The versioned schema of the phrase store.
///
/// Design decisions:
/// - A phrase's canonical form is unique *per corpus*, not globally: each corpus keeps its
///   own occurrence counts (ATCOSIM's counts say how often controllers said something; the
///   generated corpus's counts only reflect sampling), re-importing or dropping one corpus
///   never touches another's rows, and the engine can still merge across corpora by
///   grouping on `canonical`.
/// - Airlines are reference data shared by all corpora; callsigns (the flight numbers seen
///   with a designator) are recorded per corpus.
/// - The FTS5 tables are external-content tables over `phrase.canonical` and the airline
///   designators, tokenised by `trigram`, so misrecognised fragments (`lufthan`) still match.
///   Triggers keep them in step inside the importing transaction.
/// - `phrase.vector_id` is left NULL here; the vector index build fills it.
public enum PhraseStoreSchema {
    /// The migration identifiers this build knows, oldest first. A database that has applied
    /// an identifier not in this list was written by a newer atcfix.
    public static var knownVersions: [String] { ["v1"] }

    /// The migrator: one registered migration per schema version.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE corpus (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    source TEXT NOT NULL,
                    licence TEXT NOT NULL,
                    content_hash TEXT NOT NULL,
                    imported_at TEXT NOT NULL,
                    rows_read INTEGER NOT NULL,
                    rows_skipped INTEGER NOT NULL,
                    phrase_count INTEGER NOT NULL,
                    noisy_pair_count INTEGER NOT NULL,
                    callsign_count INTEGER NOT NULL
                );
                CREATE TABLE airline (
                    id INTEGER PRIMARY KEY,
                    icao TEXT,
                    telephony TEXT NOT NULL,
                    variants TEXT NOT NULL,
                    name TEXT NOT NULL,
                    country TEXT NOT NULL,
                    UNIQUE (telephony, name)
                );
                CREATE UNIQUE INDEX airline_icao ON airline(icao) WHERE icao IS NOT NULL;
                CREATE TABLE phrase (
                    id INTEGER PRIMARY KEY,
                    corpus_id INTEGER NOT NULL REFERENCES corpus(id) ON DELETE CASCADE,
                    text TEXT NOT NULL,
                    example TEXT NOT NULL,
                    canonical TEXT NOT NULL,
                    occurrences INTEGER NOT NULL CHECK (occurrences > 0),
                    categories TEXT NOT NULL,
                    callsign TEXT,
                    callsign_designator TEXT,
                    vector_id INTEGER,
                    UNIQUE (corpus_id, canonical)
                );
                CREATE INDEX phrase_canonical ON phrase(canonical);
                CREATE INDEX phrase_vector ON phrase(vector_id) WHERE vector_id IS NOT NULL;
                CREATE TABLE noisy_pair (
                    id INTEGER PRIMARY KEY,
                    corpus_id INTEGER NOT NULL REFERENCES corpus(id) ON DELETE CASCADE,
                    phrase_id INTEGER NOT NULL REFERENCES phrase(id) ON DELETE CASCADE,
                    hypothesis TEXT NOT NULL,
                    hypothesis_canonical TEXT NOT NULL,
                    occurrences INTEGER NOT NULL CHECK (occurrences > 0),
                    UNIQUE (corpus_id, phrase_id, hypothesis_canonical)
                );
                CREATE INDEX noisy_pair_phrase ON noisy_pair(phrase_id);
                CREATE TABLE callsign (
                    id INTEGER PRIMARY KEY,
                    corpus_id INTEGER NOT NULL REFERENCES corpus(id) ON DELETE CASCADE,
                    airline_id INTEGER REFERENCES airline(id),
                    kind TEXT NOT NULL,
                    telephony TEXT,
                    flight_number TEXT NOT NULL,
                    spoken TEXT NOT NULL,
                    designator TEXT NOT NULL,
                    occurrences INTEGER NOT NULL CHECK (occurrences > 0),
                    UNIQUE (corpus_id, spoken)
                );
                CREATE INDEX callsign_airline ON callsign(airline_id);
                CREATE VIRTUAL TABLE phrase_fts USING fts5(
                    canonical, content='phrase', content_rowid='id', tokenize='trigram');
                CREATE TRIGGER phrase_fts_insert AFTER INSERT ON phrase BEGIN
                    INSERT INTO phrase_fts(rowid, canonical) VALUES (new.id, new.canonical);
                END;
                CREATE TRIGGER phrase_fts_delete AFTER DELETE ON phrase BEGIN
                    INSERT INTO phrase_fts(phrase_fts, rowid, canonical) VALUES ('delete', old.id, old.canonical);
                END;
                CREATE TRIGGER phrase_fts_update AFTER UPDATE OF canonical ON phrase BEGIN
                    INSERT INTO phrase_fts(phrase_fts, rowid, canonical) VALUES ('delete', old.id, old.canonical);
                    INSERT INTO phrase_fts(rowid, canonical) VALUES (new.id, new.canonical);
                END;
                CREATE VIRTUAL TABLE telephony_fts USING fts5(
                    telephony, variants, content='airline', content_rowid='id', tokenize='trigram');
                CREATE TRIGGER telephony_fts_insert AFTER INSERT ON airline BEGIN
                    INSERT INTO telephony_fts(rowid, telephony, variants) VALUES (new.id, new.telephony, new.variants);
                END;
                CREATE TRIGGER telephony_fts_delete AFTER DELETE ON airline BEGIN
                    INSERT INTO telephony_fts(telephony_fts, rowid, telephony, variants)
                        VALUES ('delete', old.id, old.telephony, old.variants);
                END;
                CREATE TRIGGER telephony_fts_update AFTER UPDATE ON airline BEGIN
                    INSERT INTO telephony_fts(telephony_fts, rowid, telephony, variants)
                        VALUES ('delete', old.id, old.telephony, old.variants);
                    INSERT INTO telephony_fts(rowid, telephony, variants) VALUES (new.id, new.telephony, new.variants);
                END;
                """)
        }
        return migrator
    }
}
