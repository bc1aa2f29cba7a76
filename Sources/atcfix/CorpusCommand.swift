import ArgumentParser
import CSVIO
import Foundation
import PhraseStore

/// `atcfix corpus`: build and inspect the SQLite phraseology store.
struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Import corpora into the phrase store and inspect it.",
        subcommands: [CorpusImportCommand.self, CorpusStatsCommand.self, CorpusSearchCommand.self, CorpusCallsignsCommand.self]
    )
}

/// `atcfix corpus import`.
struct CorpusImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a CSV file, a text file (one phrase per line) or the embedded corpus.",
        discussion: """
            --corpus default generates phrases from the embedded corpus in corpora/ (templates × \
            airlines × slot values; --size phrases, --seed). A .csv file takes its phrases from \
            --ref-column (default correct_text) and pairs them with the ASR hypotheses in \
            --text-column (default whisper_text, if the file has it; 'none' for no pairs). Any \
            other file is read as plain text, one phrase per line. Re-importing identical \
            content changes nothing; an import is one transaction.
            """
    )

    @Option(help: "Database file (created if missing).")
    var db: String

    @Option(help: "A CSV or text file, or 'default' for the embedded corpus.")
    var corpus: String

    @Option(help: "CSV column holding ASR hypotheses for noisy pairs ('none' to skip).")
    var textColumn: String?

    @Option(help: "CSV column holding the reference phrases.")
    var refColumn: String = "correct_text"

    @Option(help: "Corpus name in the store (default: the file name, or 'default').")
    var name: String?

    @Option(help: "Licence note stored with the corpus.")
    var licence: String = ""

    @Option(help: "Number of generated phrases for --corpus default.")
    var size: Int = CorpusGenerator.defaultCount

    @Option(help: "Generator seed for --corpus default.")
    var seed: UInt64 = CorpusGenerator.defaultSeed

    func validate() throws {
        guard size > 0 else { throw ValidationError("--size must be positive") }
    }

    func run() throws {
        let embedded = try EmbeddedCorpus.load()
        let store = try PhraseStore(path: db)
        let report: ImportReport
        if corpus == "default" {
            report = try store.importEmbedded(embedded, count: size, seed: seed)
        } else if corpus.lowercased().hasSuffix(".csv") {
            let hypothesis = try hypothesisColumn()
            report = try store.importCSV(
                at: URL(fileURLWithPath: corpus), referenceColumn: refColumn, hypothesisColumn: hypothesis,
                name: name, licence: licence, corpus: embedded)
        } else {
            report = try store.importText(at: URL(fileURLWithPath: corpus), name: name, licence: licence,
                                          corpus: embedded)
        }
        print(report)
    }

    /// The hypothesis column: as given, none, or `whisper_text` when the header has it.
    private func hypothesisColumn() throws -> String? {
        if let textColumn { return textColumn == "none" ? nil : textColumn }
        return try CSVReader(path: corpus).header.contains("whisper_text") ? "whisper_text" : nil
    }
}

/// `atcfix corpus stats`.
struct CorpusStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Phrases, noisy pairs, airlines, callsigns and vocabulary per corpus.")

    @Option(help: "Database file.")
    var db: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        guard FileManager.default.fileExists(atPath: db) else {
            throw PhraseStoreError(file: db, message: "no such database; create it with `atcfix corpus import`")
        }
        let statistics = try PhraseStore(path: db).statistics()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(statistics), as: UTF8.self))
            return
        }
        print("phrases \(statistics.phrases)  noisy_pairs \(statistics.noisyPairs)  airlines \(statistics.airlines)  "
              + "callsigns \(statistics.callsigns)  with vectors \(statistics.phrasesWithVectors)")
        for corpus in statistics.corpora {
            print("  \(corpus.name): \(corpus.rowsRead) rows, \(corpus.phrases) phrases (\(corpus.occurrences) occurrences), "
                  + "\(corpus.noisyPairs) noisy pairs, \(corpus.callsigns) callsigns, vocabulary \(corpus.vocabulary)  "
                  + "[\(corpus.source); imported \(corpus.importedAt)]")
        }
    }
}

/// `atcfix corpus search`.
struct CorpusSearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Lexical (FTS5 trigram) top-k phrases for a text, for inspection.",
        discussion: """
            With --queries-csv, runs one search per row of --column instead (after one warm-up \
            pass over all rows) and prints the median, 90th percentile and maximum latency, \
            for docs/BENCHMARKS.md.
            """)

    @Option(help: "Database file.")
    var db: String

    @Option(name: .shortAndLong, help: "Number of results.")
    var k: Int = 10

    @Option(help: "Benchmark: CSV file whose rows are the queries.")
    var queriesCsv: String?

    @Option(help: "Benchmark: the query column of --queries-csv.")
    var column: String = "whisper_text"

    @Flag(help: "Rank with the FTS5 trigram index (SQLite bm25) instead of the in-memory BM25 index.")
    var fts = false

    @Argument(help: "Text to look up (any spelling; it is normalised first).")
    var text: String?

    func run() throws {
        guard FileManager.default.fileExists(atPath: db) else {
            throw PhraseStoreError(file: db, message: "no such database; create it with `atcfix corpus import`")
        }
        let store = try PhraseStore(path: db)
        if let queriesCsv {
            try benchmark(store, queriesCsv)
            return
        }
        guard let text else { throw ValidationError("give a text to search for, or --queries-csv") }
        let hits = fts ? try store.searchFTS(text, limit: k) : try store.search(text, limit: k)
        if hits.isEmpty { print("no matches") }
        for hit in hits {
            print(String(format: "%8.3f", hit.rank) + "  \(hit.occurrences)×  \(hit.text)  [\(hit.corpus)]")
        }
    }

    private func benchmark(_ store: PhraseStore, _ path: String) throws {
        let reader = try CSVReader(path: path)
        let index = try reader.column(named: column)
        var queries: [String] = []
        while let record = try reader.next() { queries.append(record[index]) }
        let search = { (query: String) throws -> [SearchHit] in
            fts ? try store.searchFTS(query, limit: k) : try store.search(query, limit: k)
        }
        let buildStart = DispatchTime.now().uptimeNanoseconds
        if !fts { _ = try store.lexicalIndex() }
        let buildMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - buildStart) / 1e6
        var hitCount = 0
        for query in queries { hitCount += try search(query).count }
        var milliseconds: [Double] = []
        for query in queries {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try search(query)
            milliseconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        milliseconds.sort()
        guard !milliseconds.isEmpty else { throw ValidationError("\(path): no queries") }
        func percentile(_ p: Double) -> Double { milliseconds[min(milliseconds.count - 1, Int(p * Double(milliseconds.count)))] }
        print((fts ? "fts5-bm25" : "memory-bm25") + String(format: " queries %d  top-%d  median %.3f ms  p90 %.3f ms  max %.3f ms  mean hits %.1f",
                     milliseconds.count, k, percentile(0.5), percentile(0.9),
                     milliseconds.last!, Double(hitCount) / Double(milliseconds.count))
              + (fts ? "" : String(format: "  (index build %.0f ms)", buildMilliseconds)))
    }
}
