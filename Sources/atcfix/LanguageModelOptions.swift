import ArgumentParser
import Corrector
import Foundation
import Llama
import Retrieval

/// Options of the engine's language-model stage.
struct LanguageModelOptions: ParsableArguments {
    @Option(name: .customLong("llm"), help: "GGUF model that judges candidate corrections ('none' for the channel decoder alone).")
    var model: String = Defaults.modelPath

    @Option(name: .customLong("llm-weight"), help: "Weight of the model's log-probability beside the decoder's score.")
    var weight = LanguageModelCorrector.Settings().weight

    @Option(name: .customLong("llm-candidates"), help: "Distinct rewrites the decoder proposes to the model.")
    var candidates = LanguageModelCorrector.Settings().candidates

    @Option(name: .customLong("llm-margin"), help: "Only rewrites within this decoder score of the best are judged.")
    var margin = LanguageModelCorrector.Settings().margin

    @Option(name: .customLong("llm-examples"), help: "Retrieved noisy → clean examples in the prompt.")
    var examples = LanguageModelCorrector.Settings().examples

    @Option(name: .customLong("llm-min-gain"), help: "Do no harm: combined-score gain per changed word a rewrite needs.")
    var minimumGain = LanguageModelCorrector.Settings().minimumGainPerEdit

    @Option(name: .customLong("llm-mode"), help: """
        How the model is used: judge (scores the decoder's candidates; the engine), constrained \
        (writes the correction, each word from the allowed set) or free (writes it unconstrained).
        """)
    var mode: String = "judge"

    @Option(name: .customLong("prompt-format"), help: "Prompt layout: chatml, plain or prior (default: prior to judge, the model's chat layout to write).")
    var promptFormat: String?

    /// The settings these options give.
    var settings: LanguageModelCorrector.Settings {
        var settings = LanguageModelCorrector.Settings()
        settings.weight = weight
        settings.candidates = candidates
        settings.margin = margin
        settings.examples = examples
        settings.minimumGainPerEdit = minimumGain
        return settings
    }

    /// The channel corrector wrapped with the model stage, or unchanged with `--llm none`.
    func wrap(_ channel: ChannelCorrector, threadsPerSession: Int) throws -> any TranscriptCorrector {
        guard model != "none" else { return channel }
        guard FileManager.default.fileExists(atPath: model) else {
            throw ValidationError("--llm: no model at \(model); run scripts/fetch-model.sh, or pass --llm none")
        }
        // Judging: the model as the phrase prior (measured best on the dev split); writing:
        // the file's own chat layout.
        var format: CorrectionPrompt.Format? = mode == "judge" ? .prior : nil
        if let promptFormat {
            guard let parsed = CorrectionPrompt.Format(rawValue: promptFormat) else {
                throw ValidationError("--prompt-format: '\(promptFormat)' is not one of chatml, plain, prior")
            }
            format = parsed
        }
        let start = Date()
        let judge = try LanguageModelJudge(model: try LlamaModel(path: model), format: format, threadsPerSession: threadsPerSession)
        standardError("loaded \(model) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s "
            + "(\(judge.prompt.format.rawValue) prompt, fixed prefix \(judge.fixedPrefixTokenCount) tokens)")
        switch mode {
        case "judge":
            return LanguageModelCorrector(channel: channel, judge: judge, settings: settings)
        case "constrained", "free":
            return GenerativeCorrector(channel: channel, rewriter: try ConstrainedRewriter(judge: judge),
                                       constrained: mode == "constrained", examples: examples, candidates: candidates)
        default:
            throw ValidationError("--llm-mode: '\(mode)' is not one of judge, constrained, free")
        }
    }
}
