/// Anything that turns a Whisper transcript into a corrected one; the batch job and the CLI
/// work with any of them (the engine, ``CorrectionEngine``, is one; tests script others).
public protocol TranscriptCorrector: Sendable {
    /// Corrects one transcript. Throws only for input it cannot handle at all.
    func correct(_ transcript: String) throws -> Correction
}
