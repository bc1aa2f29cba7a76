import Foundation
import Llama
import PhraseStore
import Retrieval

extension CorrectionEngine {
    /// Opens the engine over an index directory: validates the options, opens the phrase store
    /// once and learns the channel model from it (failing with how to build an index when there
    /// is none), opens the retriever (failing clearly when the embedding model is not the one
    /// the index was built with), reads the context list against the store's airlines and
    /// loads the language-model stage. ``report`` says what was loaded.
    public static func open(index: URL, options: Options) throws -> CorrectionEngine {
        try options.validate()
        let start = Date()
        let store = try ChannelModel.openStore(in: index)
        let channel = try ChannelModel(store: store, directory: index, backgroundWeight: options.backgroundWeight)
        var notes: [String] = []
        let mode: RetrievalMode?
        switch options.retrieval {
        case .none: mode = nil
        case .mode(let chosen): mode = chosen
        case .automatic:
            let layout = IndexLayout(directory: index)
            if !FileManager.default.fileExists(atPath: layout.vectorsURL.path) {
                notes.append("the index has no vectors.hnsw, so retrieval is lexical only; for hybrid, \(layout.buildHint)")
                mode = .lexical
            } else if let model = options.embeddingModel, FileManager.default.fileExists(atPath: model) {
                mode = .hybrid
            } else {
                // Without the embedding model only the lexical half can run; say so rather than fail,
                // since --llm none needs no model file at all.
                notes.append("no embedding model at \(options.embeddingModel ?? "(none given)"), so retrieval is lexical only; "
                    + "pass --model FILE (or set ATCFIX_MODEL) for hybrid")
                mode = .lexical
            }
        }
        var retrieval: EvidenceGatherer.RetrievalSettings?
        if let mode {
            let needsModel = mode != .lexical
            if needsModel, options.embeddingModel == nil {
                throw RetrievalError("\(mode.rawValue) retrieval needs the embedding model (--model); use --retrieval lexical or none without one")
            }
            let retriever = try Retriever(directory: index, modelPath: needsModel ? options.embeddingModel : nil,
                                          threads: options.threads)
            retrieval = .init(retriever: retriever, mode: mode, k: options.k, usePairs: options.usePairs)
        }
        var context = ContextList(entries: options.contextEntries)
        if let file = options.contextFile {
            context.entries += try ContextList.load(file, airlines: try store.allAirlines()).entries
        }
        let decoder = channel.decoder(weights: options.weights)
        var engine = CorrectionEngine(decoder: decoder, guardrail: options.guardrail,
                                      evidence: EvidenceGatherer(retrieval: retrieval, context: context))
        var report = LoadReport(index: index, seconds: Date().timeIntervalSince(start),
                                vocabularySize: channel.languageModel.vocabularySize, noisyPairs: channel.confusions.pairCount,
                                retrieval: mode, usesPairs: options.usePairs, contextEntries: context.entries.count,
                                model: nil, notes: notes)
        if let settings = options.languageModel {
            let (stage, model) = try loadStage(settings)
            engine.stage = stage
            report.model = model
        }
        engine.report = report
        return engine
    }

    /// The judge or the writer over the model file.
    private static func loadStage(_ settings: Options.LanguageModel) throws -> (Stage, LoadReport.Model) {
        guard FileManager.default.fileExists(atPath: settings.path) else {
            throw LanguageModelJudgeError(detail: "no model at \(settings.path); run scripts/setup/fetch-model.sh, or pass --llm none")
        }
        let start = Date()
        // Judging: the model as the phrase prior (measured best, docs/BENCHMARKS.md); writing:
        // the file's own chat layout.
        let format = settings.promptFormat ?? (settings.use == .judge ? .prior : nil)
        let judge = try LanguageModelJudge(model: try LlamaModel(path: settings.path), format: format,
                                           threadsPerSession: settings.threadsPerSession, contextLength: settings.contextLength)
        let stage: Stage
        switch settings.use {
        case .judge:
            stage = .judge(CandidateJudge(scorer: judge, settings: settings.judge))
        case .constrained, .free:
            stage = .rewrite(Rewriting(rewriter: try ConstrainedRewriter(judge: judge), constrained: settings.use == .constrained,
                                       examples: settings.judge.examples, candidates: settings.judge.candidates,
                                       hypothesesPerState: settings.judge.hypothesesPerState))
        }
        let model = LoadReport.Model(path: settings.path, seconds: Date().timeIntervalSince(start), use: settings.use,
                                     promptFormat: judge.prompt.format, fixedPrefixTokens: judge.fixedPrefixTokenCount)
        return (stage, model)
    }
}
