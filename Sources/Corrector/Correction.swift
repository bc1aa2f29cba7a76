import Retrieval

/// The result of correcting one transcript.
public struct Correction: Sendable, Equatable {
    /// The transcript as given.
    public var input: String
    /// The input's canonical ATC tokens (after the transcript guard's clean-up).
    public var heard: [String]
    /// The corrected canonical tokens.
    public var corrected: [String]
    /// The corrected transcript in readable form (`lufthansa 4393 descend flight level 270`).
    public var readable: String
    /// What the engine noticed along the way (truncation, dropped non-Latin text, collapsed
    /// repetitions, a fallback to the input), for `--explain` and the batch's notes.
    public var notes: [String]
    /// What retrieval found for this transcript (nil when retrieval is off).
    public var retrieval: RetrievalResult?
    /// The candidates the decoder weighed, best first (for `--explain`; empty when the stage
    /// does not report them).
    public var candidates: [NoisyChannelDecoder.Candidate]

    /// A correction with every field given.
    public init(input: String, heard: [String], corrected: [String], readable: String, notes: [String],
                retrieval: RetrievalResult? = nil, candidates: [NoisyChannelDecoder.Candidate] = []) {
        self.input = input
        self.heard = heard
        self.corrected = corrected
        self.readable = readable
        self.notes = notes
        self.retrieval = retrieval
        self.candidates = candidates
    }
}

/// Anything that turns a Whisper transcript into a corrected one; the batch job and the CLI
/// work with any of them, so the engine's stages can be swapped and ablated.
public protocol TranscriptCorrector: Sendable {
    /// Corrects one transcript. Throws only for input it cannot handle at all.
    func correct(_ transcript: String) throws -> Correction
}
