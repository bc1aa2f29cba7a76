extension CorrectionEngine.Options {
    /// The language-model stage of the engine.
    public struct LanguageModel: Sendable {
        /// How the model is used.
        public enum Use: String, Sendable, CaseIterable {
            /// It judges the decoder's proposals (the engine).
            case judge
            /// It writes the correction, each word from the allowed set (ablation).
            case constrained
            /// It writes the correction freely (ablation).
            case free
        }

        /// The GGUF file.
        public var path: String
        /// Judge or write.
        public var use: Use = .judge
        /// The prompt layout; nil for the measured defaults: the phrase prior to judge, the
        /// file's own chat layout to write.
        public var promptFormat: CorrectionPrompt.Format?
        /// Knobs of the judge (its n-best size and per-state width also serve the constrained
        /// writer's allowed words; its example count, both writers' prompts).
        public var judge = CandidateJudge.Settings()
        /// Threads each model session evaluates on.
        public var threadsPerSession = 2
        /// Positions each model session holds.
        public var contextLength = 1024

        /// A model stage over the file at `path`.
        public init(path: String, use: Use = .judge) {
            self.path = path
            self.use = use
        }

        /// Allowed proposal counts.
        public static let candidatesRange = 1...64
        /// Allowed model weights.
        public static let weightRange = 0.0...10.0
        /// Allowed margins.
        public static let marginRange = 0.0...100.0
        /// Allowed example counts.
        public static let examplesRange = 0...16
        /// Allowed do-no-harm thresholds.
        public static let minimumGainRange = 0.0...100.0
        /// Allowed hypotheses per prior state.
        public static let hypothesesPerStateRange = 1...64
        /// Allowed model context lengths.
        public static let contextLengthRange = 16...32_768

        /// Throws an ``OptionsError`` naming the first setting out of its range.
        public func validate() throws(OptionsError) {
            typealias Options = CorrectionEngine.Options
            try Options.check("languageModel.judge.candidates", judge.candidates, in: Self.candidatesRange)
            try Options.check("languageModel.judge.hypothesesPerState", judge.hypothesesPerState, in: Self.hypothesesPerStateRange)
            try Options.check("languageModel.judge.weight", judge.weight, in: Self.weightRange)
            try Options.check("languageModel.judge.margin", judge.margin, in: Self.marginRange)
            try Options.check("languageModel.judge.examples", judge.examples, in: Self.examplesRange)
            try Options.check("languageModel.judge.minimumGainPerEdit", judge.minimumGainPerEdit, in: Self.minimumGainRange)
            try Options.check("languageModel.threadsPerSession", threadsPerSession, in: Options.threadsRange)
            try Options.check("languageModel.contextLength", contextLength, in: Self.contextLengthRange)
        }
    }
}
