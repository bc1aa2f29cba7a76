import ArgumentParser
import Corrector
import Foundation
import Retrieval

/// Options shared by the commands that run the correction engine.
struct EngineOptions: ParsableArguments {
    @Option(help: "Index directory (holds phrases.sqlite; build one with `atcfix index build`).")
    var index: String = Defaults.indexPath

    @Option(help: ArgumentHelp("Retrieval per transcript: none, lexical, dense or hybrid.",
                               discussion: "Default: hybrid when the index has vectors.hnsw, else lexical (with a note)."))
    var retrieval: String?

    @Option(help: "The GGUF model the index was embedded with (dense and hybrid retrieval).")
    var model = Defaults.modelPath

    @Option(name: .customLong("k"), help: "Exemplars (and callsign candidates, noisy pairs) retrieved per transcript.")
    var exemplars = 5

    @Flag(help: "Do not let the retrieved noisy pairs bias the decoder (ablation).")
    var noPairs = false

    @Option(help: "A file listing callsigns or waypoints known to be around, one per line (DLH4393, air malta 104, trasadingen).")
    var context: String?

    @Option(help: "Weight of the generated phraseology in the n-gram prior (0...1).")
    var backgroundWeight: Double = ChannelModel.defaultBackgroundWeight

    @Option(help: "Decoder weight overrides for tuning, e.g. copy-prior=2,keep-digits=1,lm=0.5,cache=0.3.")
    var weights: String?

    @OptionGroup var languageModel: LanguageModelOptions

    /// The retrieval mode asked for, or the default for this index.
    func retrievalMode() throws -> RetrievalMode? {
        if let retrieval {
            if retrieval == "none" { return nil }
            guard let mode = RetrievalMode(rawValue: retrieval) else {
                throw ValidationError("--retrieval must be none, lexical, dense or hybrid (got '\(retrieval)')")
            }
            return mode
        }
        let layout = IndexLayout(directory: URL(fileURLWithPath: index))
        if FileManager.default.fileExists(atPath: layout.phrasesURL.path), !FileManager.default.fileExists(atPath: layout.vectorsURL.path) {
            standardError("note: \(index) has no vectors.hnsw, so retrieval is lexical only; for hybrid, \(layout.buildHint)")
            return .lexical
        }
        // --llm none needs no model file at all: without the embedding model, retrieval is lexical.
        if languageModel.model == "none", !FileManager.default.fileExists(atPath: model) {
            standardError("note: no embedding model at \(model), so retrieval is lexical only; pass --model FILE (or set ATCFIX_MODEL) for hybrid")
            return .lexical
        }
        return .hybrid
    }

    /// Loads the engine from the index, reporting the time taken on stderr.
    func loadCorrector(threadsPerSession: Int = 2) throws -> any TranscriptCorrector {
        let start = Date()
        let mode = try retrievalMode()
        let configuration = EngineConfiguration(
            index: URL(fileURLWithPath: index), retrieval: mode, modelPath: model, k: exemplars, usePairs: !noPairs,
            contextFile: context.map { URL(fileURLWithPath: $0) }, weights: try parsedWeights(), backgroundWeight: backgroundWeight)
        let (corrector, channel) = try configuration.load()
        let seconds = Date().timeIntervalSince(start)
        standardError("loaded index \(index) in \(String(format: "%.1f", seconds)) s "
            + "(\(channel.languageModel.vocabularySize) words, \(channel.confusions.pairCount) noisy pairs; "
            + "retrieval \(mode?.rawValue ?? "none")\(mode == nil || noPairs ? "" : " with pairs")"
            + "\(corrector.context.entries.isEmpty ? "" : ", \(corrector.context.entries.count) context entries"))")
        return try languageModel.wrap(corrector, threadsPerSession: threadsPerSession)
    }
}

extension EngineOptions {
    /// The default decoder weights with the `--weights` overrides applied.
    func parsedWeights() throws -> NoisyChannelDecoder.Weights {
        var result = NoisyChannelDecoder.Weights()
        for item in (weights ?? "").split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Double(parts[1]) else {
                throw ValidationError("--weights: '\(item)' is not NAME=NUMBER")
            }
            switch parts[0] {
            case "lm": result.languageModel = value
            case "confusion": result.confusion = value
            case "sound-alike-base": result.soundAlikeBase = value
            case "sound-alike-distance": result.soundAlikeDistance = value
            case "unseen-copy": result.unseenCopy = value
            case "copy-prior": result.copyPrior = value
            case "keep-digits": result.keepDigits = value != 0
            case "beam": result.beamWidth = Int(value)
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
            case "callsign-spans": result.callsignSpanCandidates = Int(value)
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

/// Writes one line to standard error.
func standardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Runs `body`; an error becomes one line on stderr naming the command, and exit status 2.
func reportingErrors<T>(_ command: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        standardError("atcfix \(command): \(error)")
        throw ExitCode(2)
    }
}
