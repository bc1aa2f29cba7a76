import ArgumentParser
import Corrector
import Foundation

/// Options shared by the commands that run the correction engine.
struct EngineOptions: ParsableArguments {
    @Option(help: "Index directory (holds phrases.sqlite; build one with `atcfix index build`).")
    var index: String = "indexes/default"

    @Option(help: "Weight of the generated phraseology in the n-gram prior (0...1).")
    var backgroundWeight: Double = ChannelModel.defaultBackgroundWeight

    @Option(help: "Decoder weight overrides for tuning, e.g. copy-prior=2,keep-digits=1,lm=0.5.")
    var weights: String?

    @OptionGroup var languageModel: LanguageModelOptions

    /// Loads the engine from the index, reporting the time taken on stderr.
    func loadCorrector(threadsPerSession: Int = 2) throws -> any TranscriptCorrector {
        let start = Date()
        let model = try ChannelModel.load(indexDirectory: URL(fileURLWithPath: index), backgroundWeight: backgroundWeight)
        let seconds = Date().timeIntervalSince(start)
        standardError("loaded index \(index) in \(String(format: "%.1f", seconds)) s "
            + "(\(model.languageModel.vocabularySize) words, \(model.confusions.pairCount) noisy pairs)")
        let channel = ChannelCorrector(decoder: model.decoder(weights: try parsedWeights()))
        return try languageModel.wrap(channel, index: index, threadsPerSession: threadsPerSession)
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
            default:
                throw ValidationError("--weights: unknown weight '\(parts[0])'; known: lm, confusion, sound-alike-base, "
                    + "sound-alike-distance, unseen-copy, copy-prior, keep-digits, beam, min-gain")
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
