import Foundation
import GRDB
import Testing
@testable import PhraseStore

/// Schema creation, WAL mode, the trigram index, and refusal of a newer schema.
@Suite struct SchemaTests {
    @Test func freshDatabaseIsMigratedToTheLatestVersionInWALMode() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.sqlite").path
        let store = try PhraseStore(path: path)
        #expect(try store.appliedSchemaVersions() == PhraseStoreSchema.knownVersions)
        #expect(try store.journalMode() == "wal")
        let tables = try store.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        for table in ["airline", "callsign", "corpus", "noisy_pair", "phrase", "phrase_fts", "telephony_fts"] {
            #expect(tables.contains(table), "missing table \(table)")
        }
        let vectorColumn = try store.read { db in
            try Row.fetchAll(db, sql: "PRAGMA table_info(phrase)").first { ($0["name"] as String) == "vector_id" }
        }
        #expect(vectorColumn?["notnull"] as Int? == 0)
        // Reopening an up-to-date database applies nothing and keeps working.
        let reopened = try PhraseStore(path: path)
        #expect(try reopened.appliedSchemaVersions() == PhraseStoreSchema.knownVersions)
    }

    @Test func trigramIndexFindsSubstrings() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try PhraseStore(path: directory.appendingPathComponent("s.sqlite").path)
        let text = directory.appendingPathComponent("phrases.txt")
        try TestSupport.write("lufthansa four three nine three descend flight level two seven zero\ncontact rhein one three two decimal four\n", to: text)
        _ = try store.importText(at: text, corpus: TestSupport.corpus)
        let matches = try store.read { db in
            try String.fetchAll(db, sql: """
                SELECT p.canonical FROM phrase_fts JOIN phrase p ON p.id = phrase_fts.rowid
                WHERE phrase_fts MATCH '"fthan"'
                """)
        }
        #expect(matches == ["lufthansa 4 3 9 3 descend flight level 2 7 0"])
        let telephony = try store.read { db in
            try String.fetchAll(db, sql: """
                SELECT a.icao FROM telephony_fts JOIN airline a ON a.id = telephony_fts.rowid
                WHERE telephony_fts MATCH '"peedbir"'
                """)
        }
        #expect(telephony == ["BAW"])
    }

    @Test func newerSchemaIsRefusedAndLeftUntouched() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("newer.sqlite").path
        // A database as a future atcfix would leave it: versions v1 and v2 recorded, and
        // (to detect any migration attempt) none of v1's tables.
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v1'), ('v2')")
        }
        try queue.close()
        do {
            _ = try PhraseStore(path: path)
            Issue.record("a database with an unknown schema version was opened")
        } catch {
            #expect(error.file == path)
            #expect(error.message.contains("newer than this atcfix"))
            #expect(error.message.contains("v2"))
        }
        let check = try DatabaseQueue(path: path)
        let tables = try check.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        #expect(tables == ["grdb_migrations"])
    }
}
