import ArgumentParser
import CSVIO
import Foundation
import Llama
import PhraseStore
import Retrieval

/// `atcfix index`: build the retrieval index (phrase store + HNSW vectors) and measure it.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build and evaluate the retrieval index (phrases.sqlite + vectors.hnsw).",
        subcommands: [IndexBuildCommand.self, IndexEvaluateCommand.self, IndexEmbedCommand.self]
    )
}

/// Embedding options shared by `index build`, `index evaluate` and `retrieve`.
struct EmbeddingOptions: ParsableArguments {
    @Option(help: "The GGUF model that embeds phrases.")
    var model = "models/SmolLM2-135M-Instruct.Q4_1.gguf"

    @Option(help: "Embed the residual after this block (0-based), or 'final' for the last normed state.")
    var layer: String = EmbeddingSettings.standard.layer.map(String.init) ?? "final"

    @Option(help: "Pooling: mean or last.")
    var pooling: String = EmbeddingSettings.standard.pooling == .mean ? "mean" : "last"

    @Option(help: "Whitening shrinkage λ, or 'none' for centring only.")
    var whiten: String = EmbeddingSettings.standard.whiten ? "\(EmbeddingSettings.standard.shrinkage)" : "none"

    @Option(help: "Ridge of the query map fitted on the noisy pairs (Whisper → reference embeddings), or 'none'.")
    var queryMap: String = EmbeddingSettings.standard.queryMapRidge.map { "\($0)" } ?? "none"

    @Option(help: "Threads.")
    var threads = 2

    func settings() throws -> EmbeddingSettings {
        let layerValue: Int?
        if layer == "final" {
            layerValue = nil
        } else if let value = Int(layer) {
            layerValue = value
        } else {
            throw ValidationError("--layer must be a block number or 'final' (got '\(layer)')")
        }
        guard pooling == "mean" || pooling == "last" else {
            throw ValidationError("--pooling must be mean or last (got '\(pooling)')")
        }
        var settings = EmbeddingSettings(layer: layerValue, pooling: pooling == "mean" ? .mean : .last, centre: true)
        if whiten != "none" {
            guard let shrinkage = Double(whiten), shrinkage > 0 else {
                throw ValidationError("--whiten must be a positive shrinkage or 'none' (got '\(whiten)')")
            }
            settings.whiten = true
            settings.shrinkage = shrinkage
        }
        if queryMap != "none" {
            guard let ridge = Double(queryMap), ridge > 0 else {
                throw ValidationError("--query-map must be a positive ridge or 'none' (got '\(queryMap)')")
            }
            settings.queryMapRidge = ridge
        }
        return settings
    }
}

/// `atcfix index build`.
struct IndexBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Import corpora into DIR/phrases.sqlite and embed every distinct phrase into DIR/vectors.hnsw.",
        discussion: """
            --corpus may be repeated: 'default' (phrases generated from the embedded corpus in corpora/, \
            --generated of them), a CSV file (references from correct_text; whisper_text, when present, \
            gives noisy pairs) or a text file (one phrase per line). Without --corpus only 'default' is \
            imported; add ATCOSIM train explicitly (e.g. --corpus default --corpus \
            ../shared/corpora/atcosim/train.whisper-small.csv). Test splits are refused. Re-running \
            skips unchanged corpora and phrases already embedded; an interrupted build resumes.
            """
    )

    @Option(help: "A corpus to index (repeatable): 'default', a .csv or a text file.")
    var corpus: [String] = []

    @OptionGroup var embedding: EmbeddingOptions

    @Option(help: "The index directory.")
    var out = "indexes/default"

    @Option(help: "Number of generated phrases for --corpus default.")
    var generated = CorpusGenerator.defaultCount

    @Option(help: "Forms embedded to fit the centring/whitening transform (the query map is fitted on every noisy pair).")
    var sample = 2_000

    @Option(help: "Seconds between checkpoints of vectors.hnsw (written atomically).")
    var checkpoint = 120.0

    func run() throws {
        let corpora = corpus.isEmpty ? ["default"] : corpus
        for path in corpora where path != "default" {
            let name = URL(fileURLWithPath: path).lastPathComponent.lowercased()
            if name.hasPrefix("test") || name.contains(".test.") || name.contains("_test") || name.contains("-test") {
                throw ValidationError("\(path) looks like a test split; indexing test references would leak the answers into retrieval. Index train splits only.")
            }
        }
        let layout = IndexLayout(directory: URL(fileURLWithPath: out))
        try FileManager.default.createDirectory(at: layout.directory, withIntermediateDirectories: true)
        let embedded = try EmbeddedCorpus.load()
        let store = try PhraseStore(path: layout.phrasesURL.path)
        for path in corpora {
            let start = Date()
            let report: ImportReport
            if path == "default" {
                report = try store.importEmbedded(embedded, count: generated)
            } else if path.lowercased().hasSuffix(".csv") {
                let hypothesis = try CSVReader(path: path).header.contains("whisper_text") ? "whisper_text" : nil
                report = try store.importCSV(at: URL(fileURLWithPath: path), hypothesisColumn: hypothesis, corpus: embedded)
            } else {
                report = try store.importText(at: URL(fileURLWithPath: path), corpus: embedded)
            }
            print("import: \(report) (\(String(format: "%.1f", Date().timeIntervalSince(start))) s)")
        }
        if corpus.isEmpty {
            let shared = URL(fileURLWithPath: "../shared/corpora/atcosim/train.whisper-small.csv")
            if FileManager.default.fileExists(atPath: shared.path) {
                print("note: ATCOSIM train is at \(shared.path); add it with --corpus default --corpus \(shared.path)")
            }
        }
        let embedder = try PhraseEmbedder(modelPath: embedding.model, settings: embedding.settings(), threads: embedding.threads)
        var builder = IndexBuilder(layout: layout, embedder: embedder)
        builder.transformSampleSize = sample
        builder.saveInterval = checkpoint
        builder.threads = embedding.threads
        let bar = ProgressBar()
        let report = try builder.build { bar.update(phase: $0.phase, done: $0.done, total: $0.total) }
        print("vectors: \(report)")
        print("index: \(layout.directory.path) (embedding \(embedder.identity))")
    }
}
