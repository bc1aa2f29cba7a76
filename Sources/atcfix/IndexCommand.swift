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
        abstract: "Build, check and evaluate the retrieval index (phrases.sqlite + vectors.hnsw).",
        discussion: CommandHelp.discussion("", examples: [
            "atcfix index build --out ~/.local/share/atcfix/indexes/default",
            "atcfix index check --index ~/.local/share/atcfix/indexes/default",
        ]),
        subcommands: [IndexBuildCommand.self, IndexCheckCommand.self, IndexEvaluateCommand.self, IndexEmbedCommand.self]
    )
}

/// Embedding options shared by `index build`, `index evaluate` and `retrieve`.
struct EmbeddingOptions: ParsableArguments {
    @Option(help: "The GGUF model that embeds phrases (default: ATCFIX_MODEL, else the data directory's or checkout's models/).")
    var model = Defaults.modelPath

    @Option(help: "Embed the residual after this block (0-based), or 'final' for the last normed state.")
    var layer: String = EmbeddingSettings.standard.layer.map(String.init) ?? "final"

    @Option(help: "Pooling: mean or last.")
    var pooling: String = EmbeddingSettings.standard.pooling == .mean ? "mean" : "last"

    @Option(help: "Whitening shrinkage λ, or 'none' for centring only.")
    var whiten: String = EmbeddingSettings.standard.whiten ? "\(EmbeddingSettings.standard.shrinkage)" : "none"

    @Option(help: "Ridge of the query map fitted on the noisy pairs (Whisper → reference embeddings), or 'none'.")
    var queryMap: String = EmbeddingSettings.standard.queryMapRidge.map { "\($0)" } ?? "none"

    @Option(help: "Threads (1...256).")
    var threads = 2

    func validate() throws {
        try OptionCheck.threads(threads)
        _ = try settings()
    }

    /// Fails unless the model file is there, naming the flag and where to get one.
    func checkModel() throws {
        guard FileManager.default.fileExists(atPath: model) else {
            throw ValidationError("--model: no model file at \(model); run scripts/setup/fetch-model.sh "
                + "(it fills the data directory), set ATCFIX_MODEL, or pass --model FILE")
        }
    }

    func settings() throws -> EmbeddingSettings {
        let layerValue: Int?
        if layer == "final" {
            layerValue = nil
        } else if let value = Int(layer), (0...1024).contains(value) {
            layerValue = value
        } else {
            throw ValidationError("--layer must be a block number or 'final' (got '\(layer)')")
        }
        guard pooling == "mean" || pooling == "last" else {
            throw ValidationError("--pooling must be mean or last (got '\(pooling)')")
        }
        var settings = EmbeddingSettings(layer: layerValue, pooling: pooling == "mean" ? .mean : .last, centre: true)
        if whiten != "none" {
            guard let shrinkage = Double(whiten), shrinkage > 0, shrinkage.isFinite else {
                throw ValidationError("--whiten must be a positive shrinkage or 'none' (got '\(whiten)')")
            }
            settings.whiten = true
            settings.shrinkage = shrinkage
        }
        if queryMap != "none" {
            guard let ridge = Double(queryMap), ridge > 0, ridge.isFinite else {
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
        discussion: CommandHelp.discussion(
            """
            --corpus may be repeated: 'default' (phrases generated from the embedded corpus, \
            --generated of them), a CSV file (references from correct_text; whisper_text, when present, \
            gives noisy pairs) or a text file (one phrase per line). Without --corpus only 'default' is \
            imported; add ATCOSIM train explicitly. Test splits are refused. Every option, corpus \
            and the model are checked before anything is written. Re-running skips unchanged \
            corpora and phrases already embedded; an interrupted build resumes.
            """,
            examples: [
                "atcfix index build --out ~/.local/share/atcfix/indexes/default",
                "atcfix index build --corpus default --corpus ../shared/corpora/atcosim/train.whisper-small.csv --out indexes/default",
                "atcfix index build --generated 500 --sample 200 --out /tmp/small-index",
            ])
    )

    @Option(help: "A corpus to index (repeatable): 'default', a .csv or a text file.")
    var corpus: [String] = []

    @OptionGroup var embedding: EmbeddingOptions

    @Option(help: "The index directory (default: ATCFIX_INDEX, else the data directory's indexes/default).")
    var out = Defaults.indexPath

    @Option(help: "Number of generated phrases for --corpus default (1...1000000).")
    var generated = CorpusGenerator.defaultCount

    @Option(help: "Forms embedded to fit the centring/whitening transform (1...1000000; the query map is fitted on every noisy pair).")
    var sample = 2_000

    @Option(help: "Seconds between checkpoints of vectors.hnsw (written atomically; 1...86400).")
    var checkpoint = 120.0

    func validate() throws {
        try OptionCheck.range("--generated", generated, 1...1_000_000)
        try OptionCheck.range("--sample", sample, 1...1_000_000)
        try OptionCheck.range("--checkpoint", checkpoint, 1...86_400)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw ValidationError("--out \(out) is a file; give the index directory (it will hold phrases.sqlite and vectors.hnsw)")
        }
        for path in corpus {
            let source = CorpusSource(argument: path)
            do { try source.refuseTestSplit() } catch { throw ValidationError(error.description) }
            if let url = source.url, !FileManager.default.fileExists(atPath: url.path) {
                throw ValidationError("--corpus \(path): no such file; give 'default', a CSV or a text file")
            }
        }
        try embedding.checkModel()
    }

    func run() throws {
        let corpora = corpus.isEmpty ? ["default"] : corpus
        let layout = IndexLayout(directory: URL(fileURLWithPath: out))
        let embedded = try EmbeddedCorpus.load()
        let settings = try embedding.settings()
        // Every CSV's columns are checked before the index directory or database is created.
        for case .csv(let url) in corpora.map(CorpusSource.init(argument:)) {
            _ = try PhraseStore.checkColumns(of: url)
        }
        do {
            try FileManager.default.createDirectory(at: layout.directory, withIntermediateDirectories: true)
        } catch {
            throw FileFailure(path: layout.directory.path, isWrite: true)
        }
        let store = try PhraseStore(path: layout.phrasesURL.path)
        for path in corpora {
            let start = Date()
            let report = try store.importCorpus(CorpusSource(argument: path), count: generated, corpus: embedded)
            print("import: \(report) (\(String(format: "%.1f", Date().timeIntervalSince(start))) s)")
        }
        let embedder = try PhraseEmbedder(modelPath: embedding.model, settings: settings, threads: embedding.threads)
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
