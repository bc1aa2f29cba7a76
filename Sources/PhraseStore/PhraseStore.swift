import ATCText
import Foundation
import GRDB

/// The SQLite phraseology store: phrases, noisy ASR pairs, airlines and callsigns, with a
/// trigram full-text index (see ``PhraseStoreSchema`` for the tables).
///
/// Opening a store creates or migrates the database (WAL journal). A database migrated by a
/// newer atcfix is refused with an error instead of being touched.
public final class PhraseStore: Sendable {
    /// The database file.
    public let path: String
    let database: DatabaseQueue
    /// The in-memory lexical index, built on first search and dropped by every import.
    let lexicalIndexCache = LexicalIndexCache()

    /// Opens (creating if needed) the store at `path`.
    public init(path: String) throws(PhraseStoreError) {
        self.path = path
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            // WAL with synchronous=NORMAL keeps every commit atomic and the database
            // consistent after a crash; only the last commits before a power loss may be
            // lost, which re-running an import repairs. A 64 MiB page cache keeps a bulk
            // import's FTS pages in memory instead of spilling them to the WAL repeatedly.
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536")
        }
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw PhraseStoreError(file: path, message: "cannot open database: \(error); check the path and its permissions")
        }
        let migrator = PhraseStoreSchema.migrator
        do {
            let unknown = try database.read { db in
                try migrator.appliedIdentifiers(db).subtracting(PhraseStoreSchema.knownVersions)
            }
            if !unknown.isEmpty {
                throw PhraseStoreError(
                    file: path,
                    message: "database schema is newer than this atcfix (unknown versions: \(unknown.sorted().joined(separator: ", ")); "
                        + "known: \(PhraseStoreSchema.knownVersions.joined(separator: ", "))); use a newer atcfix or a new database")
            }
            try migrator.migrate(database)
        } catch let error as PhraseStoreError {
            throw error
        } catch {
            throw PhraseStoreError(file: path, message: "cannot read or migrate the schema: \(error)")
        }
    }

    /// The schema versions applied to this database, oldest first.
    public func appliedSchemaVersions() throws(PhraseStoreError) -> [String] {
        try read { db in try PhraseStoreSchema.migrator.appliedMigrations(db) }
    }

    /// The SQLite journal mode in use (`wal`).
    public func journalMode() throws(PhraseStoreError) -> String {
        try read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    func read<T>(_ body: (Database) throws -> T) throws(PhraseStoreError) -> T {
        do {
            return try database.read(body)
        } catch let error as PhraseStoreError {
            throw error
        } catch {
            throw PhraseStoreError(file: path, message: "database read failed: \(error)")
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws(PhraseStoreError) -> T {
        do {
            return try database.write(body)
        } catch let error as PhraseStoreError {
            throw error
        } catch {
            throw PhraseStoreError(file: path, message: "database write failed (nothing was changed): \(error)")
        }
    }
}
