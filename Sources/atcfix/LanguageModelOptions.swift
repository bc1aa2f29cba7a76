import ArgumentParser
import Corrector
import Foundation

/// Options of the engine's language-model stage; they map onto
/// ``CorrectionEngine/Options/LanguageModel``.
struct LanguageModelOptions: ParsableArguments {
    private typealias Stage = CorrectionEngine.Options.LanguageModel

    @Option(name: .customLong("llm"), help: "GGUF model that judges candidate corrections ('none' for the channel decoder alone).")
    var model: String = Defaults.modelPath

    @Option(name: .customLong("llm-weight"), help: "Weight of the model's log-probability beside the decoder's score (\(EngineOptions.range(Stage.weightRange))).")
    var weight = CandidateJudge.Settings().weight

    @Option(name: .customLong("llm-candidates"), help: "Distinct rewrites the decoder proposes to the model (\(EngineOptions.range(Stage.candidatesRange))).")
    var candidates = CandidateJudge.Settings().candidates

    @Option(name: .customLong("llm-margin"), help: "Only rewrites within this decoder score of the best are judged (\(EngineOptions.range(Stage.marginRange))).")
    var margin = CandidateJudge.Settings().margin

    @Option(name: .customLong("llm-examples"), help: "Retrieved noisy → clean examples in the prompt (\(EngineOptions.range(Stage.examplesRange))).")
    var examples = CandidateJudge.Settings().examples

    @Option(name: .customLong("llm-min-gain"), help: "Do no harm: combined-score gain per changed word a rewrite needs (\(EngineOptions.range(Stage.minimumGainRange))).")
    var minimumGain = CandidateJudge.Settings().minimumGainPerEdit

    @Option(name: .customLong("llm-mode"), help: """
        How the model is used: judge (scores the decoder's candidates; the engine), constrained \
        (writes the correction, each word from the allowed set) or free (writes it unconstrained).
        """)
    var mode: String = "judge"

    @Option(name: .customLong("prompt-format"), help: "Prompt layout: chatml, plain or prior (default: prior to judge, the model's chat layout to write).")
    var promptFormat: String?

    /// Checks every option before any work, naming the flag, the allowed range and the value.
    func validate() throws {
        try EngineOptions.check("--llm-weight", weight, in: Stage.weightRange)
        try EngineOptions.check("--llm-candidates", candidates, in: Stage.candidatesRange)
        try EngineOptions.check("--llm-margin", margin, in: Stage.marginRange)
        try EngineOptions.check("--llm-examples", examples, in: Stage.examplesRange)
        try EngineOptions.check("--llm-min-gain", minimumGain, in: Stage.minimumGainRange)
        _ = try use()
        _ = try format()
    }

    /// How the model is used.
    private func use() throws -> Stage.Use {
        guard let use = Stage.Use(rawValue: mode) else {
            throw ValidationError("--llm-mode must be one of judge, constrained, free (got '\(mode)')")
        }
        return use
    }

    /// The prompt layout asked for, or nil for the default.
    private func format() throws -> CorrectionPrompt.Format? {
        guard let promptFormat else { return nil }
        guard let format = CorrectionPrompt.Format(rawValue: promptFormat) else {
            throw ValidationError("--prompt-format must be one of chatml, plain, prior (got '\(promptFormat)')")
        }
        return format
    }

    /// The library's model stage for these flags, or nil with `--llm none`.
    func stage(threadsPerSession: Int) throws -> CorrectionEngine.Options.LanguageModel? {
        guard model != "none" else { return nil }
        var stage = Stage(path: model, use: try use())
        stage.promptFormat = try format()
        stage.judge.weight = weight
        stage.judge.candidates = candidates
        stage.judge.margin = margin
        stage.judge.examples = examples
        stage.judge.minimumGainPerEdit = minimumGain
        stage.threadsPerSession = threadsPerSession
        return stage
    }
}
