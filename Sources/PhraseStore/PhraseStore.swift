import ATCText
import Foundation
import GRDB

/// The SQLite phraseology store: phrases, noisy ASR pairs, airlines and callsigns, with a
/// trigram full-text index (see ``PhraseStoreSchema`` for the tables).
///
/// Opening a store read-write creates or migrates the database (WAL journal); opening it
/// read-only (``OpenMode/readOnly``) leaves the file untouched. A database migrated by a newer
/// atcfix is refused with an error instead of being touched.
public final class PhraseStore: Sendable {
    /// The database file.
    public let path: String
    let database: DatabaseQueue
    /// The in-memory lexical index, built on first search and dropped by every import.
    let lexicalIndexCache = LexicalIndexCache()

    /// The way this store was opened.
    public let mode: OpenMode

    /// Opens the store at `path`: with `.readWrite` (the default) creating or migrating it,
    /// with `.readOnly` an existing database as it is. A file that is not an SQLite database,
    /// or is truncated or corrupted, is refused with an error naming it and how to rebuild,
    /// and is never modified.
    public init(path: String, mode: OpenMode = .readWrite) throws(PhraseStoreError) {
        self.path = path
        self.mode = mode
        try Self.checkFile(at: path, mode: mode)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        switch mode {
        case .readWrite:
            configuration.journalMode = .wal
            configuration.prepareDatabase { db in
                // WAL with synchronous=NORMAL keeps every commit atomic and the database
                // consistent after a crash; only the last commits before a power loss may be
                // lost, which re-running an import repairs. A 64 MiB page cache keeps a bulk
                // import's FTS pages in memory instead of spilling them to the WAL repeatedly.
                try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536")
            }
        case .readOnly:
            configuration.readonly = true
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -65536") }
        }
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw Self.openError(path: path, error, doing: "cannot open the database")
        }
        let migrator = PhraseStoreSchema.migrator
        do {
            let applied = try database.read { db in try migrator.appliedIdentifiers(db) }
            let unknown = applied.subtracting(PhraseStoreSchema.knownVersions)
            if !unknown.isEmpty {
                throw PhraseStoreError(
                    file: path,
                    message: "database schema is newer than this atcfix (unknown versions: \(unknown.sorted().joined(separator: ", ")); "
                        + "known: \(PhraseStoreSchema.knownVersions.joined(separator: ", "))); use a newer atcfix or a new database")
            }
            switch mode {
            case .readWrite:
                try migrator.migrate(database)
            case .readOnly:
                let missing = Set(PhraseStoreSchema.knownVersions).subtracting(applied)
                if !missing.isEmpty {
                    throw PhraseStoreError(
                        file: path,
                        message: applied.isEmpty
                            ? "not an atcfix phrase database (it has no phrase tables); \(Self.rebuildHint(path))"
                            : "database schema is older than this atcfix (missing \(missing.sorted().joined(separator: ", "))); "
                                + Self.rebuildHint(path))
                }
            }
        } catch let error as PhraseStoreError {
            throw error
        } catch {
            throw Self.openError(path: path, error, doing: "cannot read the schema")
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
            throw Self.openError(path: path, error, doing: "database read failed")
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws(PhraseStoreError) -> T {
        guard mode == .readWrite else {
            throw PhraseStoreError(file: path, message: "the database was opened read-only; open it with mode .readWrite to change it")
        }
        do {
            return try database.write(body)
        } catch let error as PhraseStoreError {
            throw error
        } catch {
            throw PhraseStoreError(file: path, message: "database write failed (nothing was changed): \(error)")
        }
    }
}
