/// The judge could not score a transcript.
public struct LanguageModelJudgeError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public var detail: String
    /// Readable description.
    public var description: String { "language model judge: \(detail)" }
}
