import CSVIO
import Foundation

/// A corpus named on the command line, by kind: `default` is the embedded corpus (phrases
/// generated from its templates), a `.csv` file holds references (and ASR hypotheses for
/// noisy pairs), anything else is plain text with one phrase per line. The one place that
/// decides the kind, and refuses test splits, for every command that imports.
public enum CorpusSource: Sendable, Equatable {
    /// Phrases generated from the embedded corpus.
    case embedded
    /// A CSV file with a header line.
    case csv(URL)
    /// A text file, one phrase per line.
    case text(URL)

    /// Which column of a CSV corpus gives the ASR hypotheses of its noisy pairs.
    public enum HypothesisColumn: Sendable, Equatable {
        /// `whisper_text` when the header has it, else no pairs.
        case automatic
        /// No noisy pairs.
        case none
        /// This column (an error if the header lacks it).
        case named(String)
    }

    /// The kind of `argument`: `default`, a path ending in `.csv` (any case), or a text file.
    public init(argument: String) {
        if argument == "default" {
            self = .embedded
        } else if argument.lowercased().hasSuffix(".csv") {
            self = .csv(URL(fileURLWithPath: argument))
        } else {
            self = .text(URL(fileURLWithPath: argument))
        }
    }

    /// The file read, if any.
    public var url: URL? {
        switch self {
        case .embedded: nil
        case .csv(let url), .text(let url): url
        }
    }

    /// True when the file's name or a folder on its path marks it as a test split
    /// (`test.csv`, `atcosim.test.csv`, `dev_test.csv`, `test/…`).
    public var looksLikeTestSplit: Bool {
        guard let url else { return false }
        let name = url.lastPathComponent.lowercased()
        if name.hasPrefix("test") || name.contains(".test.") || name.contains("_test") || name.contains("-test") {
            return true
        }
        let folders = url.deletingLastPathComponent().pathComponents.map { $0.lowercased() }
        return folders.contains("test") || folders.contains("tests")
    }

    /// Throws for a test split: indexing test references would leak the answers into
    /// retrieval, so every importer refuses one before touching the store.
    public func refuseTestSplit() throws(PhraseStoreError) {
        guard looksLikeTestSplit, let url else { return }
        throw PhraseStoreError(
            file: url.path,
            message: "looks like a test split; indexing test references would leak the answers into retrieval. Index train splits only.")
    }
}

extension PhraseStore {
    /// Imports `source` by its kind (see ``CorpusSource``), after refusing a test split and
    /// checking a CSV's columns, so a wrong argument fails before the store changes.
    /// `count` and `seed` apply to the embedded corpus; `name` and `licence` to files.
    public func importCorpus(
        _ source: CorpusSource, referenceColumn: String = "correct_text",
        hypothesisColumn: CorpusSource.HypothesisColumn = .automatic, name: String? = nil, licence: String = "",
        count: Int = CorpusGenerator.defaultCount, seed: UInt64 = CorpusGenerator.defaultSeed,
        corpus: EmbeddedCorpus
    ) throws(PhraseStoreError) -> ImportReport {
        try source.refuseTestSplit()
        switch source {
        case .embedded:
            return try importEmbedded(corpus, count: count, seed: seed)
        case .csv(let url):
            let hypothesis = try Self.checkColumns(of: url, referenceColumn: referenceColumn, hypothesisColumn: hypothesisColumn)
            return try importCSV(at: url, referenceColumn: referenceColumn, hypothesisColumn: hypothesis,
                                 name: name, licence: licence, corpus: corpus)
        case .text(let url):
            return try importText(at: url, name: name, licence: licence, corpus: corpus)
        }
    }

    /// Checks that the CSV at `url` has the columns an import would read, and returns the
    /// hypothesis column `choice` resolves to (nil for none): call it before creating a store,
    /// so a wrong column name changes nothing.
    public static func checkColumns(
        of url: URL, referenceColumn: String = "correct_text", hypothesisColumn choice: CorpusSource.HypothesisColumn = .automatic
    ) throws(PhraseStoreError) -> String? {
        let header: [String]
        do { header = try CSVReader(url: url).header } catch {
            throw PhraseStoreError(message: error.description)
        }
        guard header.contains(referenceColumn) else {
            throw PhraseStoreError(file: url.path, line: 1, message: "no column named \"\(referenceColumn)\" (the columns are "
                + header.map { "\"\($0)\"" }.joined(separator: ", ") + "); pass the right --ref-column")
        }
        switch choice {
        case .none: return nil
        case .automatic: return header.contains("whisper_text") ? "whisper_text" : nil
        case .named(let column):
            guard header.contains(column) else {
                throw PhraseStoreError(file: url.path, line: 1, message: "no column named \"\(column)\" (the columns are "
                    + header.map { "\"\($0)\"" }.joined(separator: ", ") + "); pass the right --text-column or 'none'")
            }
            return column
        }
    }
}
