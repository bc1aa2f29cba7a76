import ArgumentParser
import CSVIO
import Foundation
import PhraseStore

/// `atcfix corpus`: build and inspect the SQLite phraseology store.
struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Import corpora into the phrase store and inspect it.",
        discussion: CommandHelp.discussion("", examples: [
            "atcfix corpus import --db /tmp/phrases.sqlite --corpus default",
            "atcfix corpus stats --db /tmp/phrases.sqlite",
        ]),
        subcommands: [CorpusImportCommand.self, CorpusStatsCommand.self, CorpusSearchCommand.self, CorpusCallsignsCommand.self]
    )
}

/// `atcfix corpus import`.
struct CorpusImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a CSV file, a text file (one phrase per line) or the embedded corpus.",
        discussion: CommandHelp.discussion(
            """
            --corpus default generates phrases from the embedded corpus (templates × \
            airlines × slot values; --size phrases, --seed). A .csv file takes its phrases from \
            --ref-column (default correct_text) and pairs them with the ASR hypotheses in \
            --text-column (default whisper_text, if the file has it; 'none' for no pairs). Any \
            other file is read as plain text, one phrase per line. Test splits are refused. \
            Re-importing identical content changes nothing; an import is one transaction.
            """,
            examples: [
                "atcfix corpus import --db /tmp/phrases.sqlite --corpus default --size 2000",
                "atcfix corpus import --db /tmp/phrases.sqlite --corpus train.csv --text-column whisper_text",
                "atcfix corpus import --db /tmp/phrases.sqlite --corpus phrases.txt --name extra --licence CC-BY-4.0",
            ])
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

    @Option(help: "Number of generated phrases for --corpus default (1...1000000).")
    var size: Int = CorpusGenerator.defaultCount

    @Option(help: "Generator seed for --corpus default.")
    var seed: UInt64 = CorpusGenerator.defaultSeed

    func validate() throws {
        try OptionCheck.range("--size", size, 1...1_000_000)
        let source = CorpusSource(argument: corpus)
        do { try source.refuseTestSplit() } catch { throw ValidationError(error.description) }
        if let url = source.url, !FileManager.default.fileExists(atPath: url.path) {
            throw ValidationError("--corpus \(corpus): no such file; give 'default', a CSV or a text file")
        }
        if case .csv = source {} else if textColumn != nil {
            throw ValidationError("--text-column applies to CSV corpora only (\(corpus) is not a .csv)")
        }
    }

    func run() throws {
        let embedded = try EmbeddedCorpus.load()
        let source = CorpusSource(argument: corpus)
        let hypothesis: CorpusSource.HypothesisColumn = switch textColumn {
        case nil: .automatic
        case "none": .none
        case let column?: .named(column)
        }
        if case .csv(let url) = source {
            // The columns are checked before the database is created or touched.
            _ = try PhraseStore.checkColumns(of: url, referenceColumn: refColumn, hypothesisColumn: hypothesis)
        }
        let store = try PhraseStore(path: db)
        let report = try store.importCorpus(
            source, referenceColumn: refColumn, hypothesisColumn: hypothesis, name: name, licence: licence,
            count: size, seed: seed, corpus: embedded)
        print(report)
    }
}

/// `atcfix corpus stats`.
struct CorpusStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Phrases, noisy pairs, airlines, callsigns and vocabulary per corpus.",
        discussion: CommandHelp.discussion(
            "Opens the database read-only: the file is never changed (and a file that is not a phrase database is refused).",
            examples: ["atcfix corpus stats --db indexes/default/phrases.sqlite", "atcfix corpus stats --db /tmp/phrases.sqlite --json"]))

    @Option(help: "Database file.")
    var db: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let statistics = try PhraseStore(path: db, mode: .readOnly).statistics()
        if json {
            try JSONOutput.print(statistics)
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
        discussion: CommandHelp.discussion(
            """
            With --queries-csv, runs one search per row of --text-column instead (after one warm-up \
            pass over all rows) and prints the median, 90th percentile and maximum latency, \
            for docs/BENCHMARKS.md. Opens the database read-only.
            """,
            examples: [
                "atcfix corpus search --db indexes/default/phrases.sqlite 'lufthansa descend'",
                "atcfix corpus search --db indexes/default/phrases.sqlite --queries-csv dev.csv --k 5",
            ]))

    @Option(help: "Database file.")
    var db: String

    @Option(name: .shortAndLong, help: "Number of results (1...1000).")
    var k: Int = 10

    @Option(help: "Benchmark: CSV file whose rows are the queries.")
    var queriesCsv: String?

    @Option(help: "Benchmark: the query column of --queries-csv.")
    var textColumn: String = "whisper_text"

    @Flag(help: "Rank with the FTS5 trigram index (SQLite bm25) instead of the in-memory BM25 index.")
    var fts = false

    @Argument(help: "Text to look up (any spelling; it is normalised first).")
    var text: String?

    func validate() throws {
        try OptionCheck.range("--k", k, 1...1_000)
        if queriesCsv == nil && text == nil { throw ValidationError("give a text to search for, or --queries-csv FILE") }
    }

    func run() throws {
        let store = try PhraseStore(path: db, mode: .readOnly)
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
        let index = try reader.column(named: textColumn)
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
        guard !milliseconds.isEmpty else { throw BadInput("\(path): no query rows; give a CSV with at least one row") }
        func percentile(_ p: Double) -> Double { milliseconds[min(milliseconds.count - 1, Int(p * Double(milliseconds.count)))] }
        print((fts ? "fts5-bm25" : "memory-bm25") + String(format: " queries %d  top-%d  median %.3f ms  p90 %.3f ms  max %.3f ms  mean hits %.1f",
                     milliseconds.count, k, percentile(0.5), percentile(0.9),
                     milliseconds.last!, Double(hitCount) / Double(milliseconds.count))
              + (fts ? "" : String(format: "  (index build %.0f ms)", buildMilliseconds)))
    }
}
