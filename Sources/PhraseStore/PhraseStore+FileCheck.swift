import Foundation
import GRDB

extension PhraseStore {
    /// The 16 bytes every SQLite 3 database file starts with.
    static let sqliteMagic = Array("SQLite format 3\0".utf8)

    /// The advice printed with every error about a database that cannot be used as it is.
    static func rebuildHint(_ path: String) -> String {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return "rebuild the index with `atcfix index build --out \(directory)` (or pass the right --index/--db)"
    }

    /// Refuses, before SQLite sees it, a path that cannot be this store: missing (read-only),
    /// a directory, or a non-empty file that does not start with SQLite's header (a CSV given
    /// as `--db`, a truncated download). An empty file is a new database to a read-write open.
    static func checkFile(at path: String, mode: OpenMode) throws(PhraseStoreError) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            if errno == ENOENT {
                if mode == .readWrite {
                    let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
                    guard FileManager.default.fileExists(atPath: directory) else {
                        throw PhraseStoreError(file: path, message: "its directory \(directory) does not exist; create it first (or pass another path)")
                    }
                    return
                }
                throw PhraseStoreError(file: path, message: "no phrase database here; " + rebuildHint(path))
            }
            throw PhraseStoreError(file: path, message: "cannot open (\(String(cString: strerror(errno)))); check the path and its permissions")
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            throw PhraseStoreError(file: path, message: "is a directory, not a phrase database; give the phrases.sqlite file inside it (or its index directory as --index)")
        }
        if status.st_size == 0 && mode == .readWrite { return }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw PhraseStoreError(file: path, message: "permission denied; check the file's permissions")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: sqliteMagic.count)).map { [UInt8]($0) } ?? []
        guard head == sqliteMagic else {
            throw PhraseStoreError(
                file: path,
                message: status.st_size < 100
                    ? "is empty or truncated (\(status.st_size) bytes), not an SQLite database; \(rebuildHint(path))"
                    : "is not an SQLite database (it does not start with SQLite's header); \(rebuildHint(path))")
        }
        if status.st_size < 512 {
            throw PhraseStoreError(file: path, message: "is truncated (\(status.st_size) bytes); \(rebuildHint(path))")
        }
    }

    /// SQLite's failure as a sentence naming the file and what to do instead of
    /// `SQLite error 26 … PRAGMA …`.
    static func openError(path: String, _ error: any Error, doing: String) -> PhraseStoreError {
        guard let database = error as? DatabaseError else {
            return PhraseStoreError(file: path, message: "\(doing): \(error)")
        }
        switch database.resultCode {
        case .SQLITE_NOTADB:
            return PhraseStoreError(file: path, message: "is not an SQLite database; \(rebuildHint(path))")
        case .SQLITE_CORRUPT:
            return PhraseStoreError(file: path, message: "the database is corrupted (\(database.message ?? "malformed")); \(rebuildHint(path))")
        case .SQLITE_CANTOPEN:
            return PhraseStoreError(file: path, message: "cannot open the database file; check that it and its directory exist and are readable "
                + "(a read-only open of a WAL database also needs its -shm/-wal files or a writable directory)")
        case .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH:
            return PhraseStoreError(file: path, message: "permission denied (\(database.message ?? "")); check the file's permissions")
        case .SQLITE_FULL:
            return PhraseStoreError(file: path, message: "the disk is full; free space and run again")
        default:
            return PhraseStoreError(file: path, message: "\(doing) (\(database.message ?? "SQLite error \(database.resultCode.rawValue)")); \(rebuildHint(path)) if this persists")
        }
    }

    /// Runs SQLite's `PRAGMA integrity_check` over every page and index; returns the
    /// problems found (empty when the database is sound).
    public func integrityProblems() throws(PhraseStoreError) -> [String] {
        let rows = try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        return rows == ["ok"] ? [] : rows
    }
}
