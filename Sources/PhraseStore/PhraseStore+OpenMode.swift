extension PhraseStore {
    /// How a store is opened.
    public enum OpenMode: Sendable, Equatable {
        /// Creates the database if missing and migrates it: for imports and index builds.
        case readWrite
        /// Opens an existing database without writing a byte to it (no migration, no journal
        /// change, SQLite's read-only flag): for queries, so `correct`, `retrieve` and
        /// `corpus stats` never change the file or its mtime, and a path that is not a
        /// database is never turned into one.
        case readOnly
    }
}
