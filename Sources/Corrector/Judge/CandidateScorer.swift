/// Anything that gives candidate corrections a log-probability as the reply to a prompt of
/// examples and the transcript: the language model (``LanguageModelJudge``), or a table of
/// known values when the judge's arithmetic is what is being checked.
public protocol CandidateScorer: Sendable {
    /// The log-probability of each candidate (readable text), in the order given.
    func logProbabilities(of candidates: [String], heard: String, examples: [CorrectionPrompt.Example]) throws -> [Double]

    /// The prompt the candidates were scored after, for `--explain` (nil when there is none).
    func promptText(examples: [CorrectionPrompt.Example], heard: String) -> String?
}

extension LanguageModelJudge: CandidateScorer {
    /// The fixed head and the per-transcript part of the prompt.
    public func promptText(examples: [CorrectionPrompt.Example], heard: String) -> String? {
        prompt.fixedPrefix + prompt.query(examples: examples, heard: heard)
    }
}
