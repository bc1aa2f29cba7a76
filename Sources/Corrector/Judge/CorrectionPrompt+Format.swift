extension CorrectionPrompt {
    /// How turns are marked.
    public enum Format: String, Sendable, CaseIterable {
        /// `<|im_start|>role … <|im_end|>` turns (SmolLM2, Qwen2.5).
        case chatML = "chatml"
        /// `heard: … / said: …` lines, for models without a known chat template.
        case plain
        /// No transcript at all: the examples' clean phrases as a list, the candidate as the
        /// next line. The model is then the phrase prior P(said) of the noisy channel and the
        /// decoder's channel score stands for P(heard | said) — shown the transcript, a small
        /// model mostly rewards copying it.
        case prior
    }
}
