import ArgumentParser
import Corrector
import Foundation
import Retrieval

/// Options shared by the commands that run the correction engine; they map one to one onto
/// ``CorrectionEngine/Options``, which the library opens.
struct EngineOptions: ParsableArguments {
    @Option(help: "Index directory (holds phrases.sqlite; build one with `atcfix index build`).")
    var index: String = Defaults.indexPath

    @Option(help: ArgumentHelp("Retrieval per transcript: none, lexical, dense or hybrid.",
                               discussion: "Default: hybrid when the index has vectors.hnsw, else lexical (with a note)."))
    var retrieval: String?

    @Option(help: "The GGUF model the index was embedded with (dense and hybrid retrieval).")
    var model = Defaults.modelPath

    @Option(help: "Exemplars (and callsign candidates, noisy pairs) retrieved per transcript (\(Self.range(CorrectionEngine.Options.kRange))).")
    var k = 5

    @Flag(help: "Do not let the retrieved noisy pairs bias the decoder (ablation).")
    var noPairs = false

    @Option(help: "A file listing callsigns or waypoints known to be around, one per line (DLH4393, air malta 104, trasadingen).")
    var context: String?

    @Option(help: "Weight of the generated phraseology in the n-gram prior (\(Self.range(CorrectionEngine.Options.backgroundWeightRange))).")
    var backgroundWeight: Double = ChannelModel.defaultBackgroundWeight

    @Option(help: "Decoder weight overrides for tuning, e.g. copy-prior=2,keep-digits=1,lm=0.5,cache=0.3.")
    var weights: String?

    @Option(help: "Threads for the query embedding and each model session (\(Self.range(CorrectionEngine.Options.threadsRange)); default 2, 1 per row in batch).")
    var threads: Int?

    @OptionGroup var languageModel: LanguageModelOptions

    /// Checks every option before any work, naming the flag, the allowed range and the value.
    func validate() throws {
        try Self.check("--k", k, in: CorrectionEngine.Options.kRange)
        try Self.check("--background-weight", backgroundWeight, in: CorrectionEngine.Options.backgroundWeightRange)
        if let threads { try Self.check("--threads", threads, in: CorrectionEngine.Options.threadsRange) }
        _ = try retrievalChoice()
        _ = try parsedWeights()
    }

    /// The retrieval asked for (automatic when not given).
    func retrievalChoice() throws -> CorrectionEngine.Options.RetrievalChoice {
        guard let retrieval else { return .automatic }
        if retrieval == "none" { return .none }
        guard let mode = RetrievalMode(rawValue: retrieval) else {
            throw ValidationError("--retrieval must be none, lexical, dense or hybrid (got '\(retrieval)')")
        }
        return .mode(mode)
    }

    /// The library's options for these flags; `threadsPerSession` is the command's default
    /// for each model session when `--threads` is not given.
    func engineOptions(threadsPerSession: Int) throws -> CorrectionEngine.Options {
        var options = CorrectionEngine.Options()
        options.retrieval = try retrievalChoice()
        options.embeddingModel = model
        options.k = k
        options.usePairs = !noPairs
        options.contextFile = context.map { URL(fileURLWithPath: $0) }
        options.weights = try parsedWeights()
        options.backgroundWeight = backgroundWeight
        if let threads { options.threads = threads }
        options.languageModel = try languageModel.stage(threadsPerSession: threads ?? threadsPerSession)
        return options
    }

    /// Opens the engine over the index and says once on stderr what was loaded.
    func loadCorrector(threadsPerSession: Int = 2) throws -> any TranscriptCorrector {
        let engine = try CorrectionEngine.open(index: URL(fileURLWithPath: index),
                                               options: try engineOptions(threadsPerSession: threadsPerSession))
        for line in engine.report?.lines ?? [] { standardError(line) }
        return engine
    }

    /// `A...B` for a help text.
    static func range<Bound>(_ range: ClosedRange<Bound>) -> String { "\(range.lowerBound)...\(range.upperBound)" }

    /// The validation message form every option uses: `--k must be between 1 and 64 (got -1)`.
    static func check<Value: Comparable>(_ flag: String, _ value: Value, in range: ClosedRange<Value>) throws {
        guard range.contains(value) else {
            throw ValidationError("\(flag) must be between \(range.lowerBound) and \(range.upperBound) (got \(value))")
        }
    }
}

extension EngineOptions {
    /// The default decoder weights with the `--weights` overrides applied.
    func parsedWeights() throws -> NoisyChannelDecoder.Weights {
        var result = NoisyChannelDecoder.Weights()
        for item in (weights ?? "").split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Double(parts[1]), value.isFinite else {
                throw ValidationError("--weights: '\(item)' is not NAME=NUMBER")
            }
            /// A whole number in `range`, for the weights that count something.
            func count(_ range: ClosedRange<Int>) throws -> Int {
                guard value.rounded() == value, value >= Double(range.lowerBound), value <= Double(range.upperBound) else {
                    throw ValidationError("--weights: \(parts[0]) must be a whole number between \(range.lowerBound) and \(range.upperBound) (got \(parts[1]))")
                }
                return Int(value)
            }
            switch parts[0] {
            case "lm": result.languageModel = value
            case "confusion": result.confusion = value
            case "sound-alike-base": result.soundAlikeBase = value
            case "sound-alike-distance": result.soundAlikeDistance = value
            case "unseen-copy": result.unseenCopy = value
            case "copy-prior": result.copyPrior = value
            case "keep-digits": result.keepDigits = value != 0
            case "beam": result.beamWidth = try count(CorrectionEngine.Options.beamWidthRange)
            case "min-gain": result.minimumGainPerEdit = value
            case "cache": result.cacheWeight = value
            case "exemplar-cache": result.exemplarCacheWeight = value
            case "cache-raises-only": result.cacheRaisesOnly = value != 0
            case "exemplar-decay": result.exemplarDecay = value
            case "exemplar-boundaries": result.exemplarBoundaries = value != 0
            case "callsign-cache": result.callsignCacheWeight = value
            case "context-prior": result.contextPrior = value
            case "callsign-bonus": result.callsignBonus = value
            case "context-bonus": result.contextBonus = value
            case "pair-bonus": result.pairBonus = value
            case "callsign-spans": result.callsignSpanCandidates = try count(CorrectionEngine.Options.callsignSpanRange)
            case "callsign-span-base": result.callsignSpanBase = value
            default:
                throw ValidationError("--weights: unknown weight '\(parts[0])'; known: lm, confusion, sound-alike-base, "
                    + "sound-alike-distance, unseen-copy, copy-prior, keep-digits, beam, min-gain, cache, cache-raises-only, exemplar-cache, exemplar-decay, exemplar-boundaries, "
                    + "callsign-cache, context-prior, callsign-bonus, context-bonus, pair-bonus, callsign-spans, callsign-span-base")
            }
        }
        return result
    }
}
