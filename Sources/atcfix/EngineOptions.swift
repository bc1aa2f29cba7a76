import ArgumentParser
import Corrector
import Foundation

/// Options shared by the commands that run the correction engine.
struct EngineOptions: ParsableArguments {
    @Option(help: "Index directory (holds phrases.sqlite; build one with `atcfix index build`).")
    var index: String = "indexes/default"

    @Option(help: "Weight of the generated phraseology in the n-gram prior (0...1).")
    var backgroundWeight: Double = ChannelModel.defaultBackgroundWeight

    /// Loads the engine from the index, reporting the time taken on stderr.
    func loadCorrector() throws -> ChannelCorrector {
        let start = Date()
        let model = try ChannelModel.load(indexDirectory: URL(fileURLWithPath: index), backgroundWeight: backgroundWeight)
        let seconds = Date().timeIntervalSince(start)
        standardError("loaded index \(index) in \(String(format: "%.1f", seconds)) s "
            + "(\(model.languageModel.vocabularySize) words, \(model.confusions.pairCount) noisy pairs)")
        return ChannelCorrector(decoder: model.decoder())
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
