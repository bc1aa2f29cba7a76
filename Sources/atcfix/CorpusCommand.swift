import ArgumentParser
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

    func run() throws {
        do {
            let embedded = try EmbeddedCorpus.load()
            let store = try PhraseStore(path: db)
            let report: ImportReport
            if corpus == "default" {
                guard size > 0 else { throw ValidationError("--size must be positive") }
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
        } catch let error as PhraseStoreError {
            throw ValidationError(error.description)
        }
    }

    /// The hypothesis column: as given, none, or `whisper_text` when the header has it.
    private func hypothesisColumn() throws -> String? {
        if let textColumn { return textColumn == "none" ? nil : textColumn }
        let header = try String(contentsOfFile: corpus, encoding: .utf8).prefix { $0 != "\n" && $0 != "\r" }
        return header.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == "whisper_text" }
            ? "whisper_text" : nil
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
        do {
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
        } catch let error as PhraseStoreError {
            throw ValidationError(error.description)
        }
    }
}

/// `atcfix corpus search`.
struct CorpusSearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Lexical (FTS5 trigram) top-k phrases for a text, for inspection.")

    @Option(help: "Database file.")
    var db: String

    @Option(name: .shortAndLong, help: "Number of results.")
    var k: Int = 10

    @Argument(help: "Text to look up (any spelling; it is normalised first).")
    var text: String

    func run() throws {
        do {
            guard FileManager.default.fileExists(atPath: db) else {
                throw PhraseStoreError(file: db, message: "no such database; create it with `atcfix corpus import`")
            }
            let hits = try PhraseStore(path: db).search(text, limit: k)
            if hits.isEmpty { print("no matches") }
            for hit in hits {
                print(String(format: "%8.3f", hit.rank) + "  \(hit.occurrences)×  \(hit.text)  [\(hit.corpus)]")
            }
        } catch let error as PhraseStoreError {
            throw ValidationError(error.description)
        }
    }
}
