import ATCText
import Retrieval

/// The result of correcting one transcript.
public struct Correction: Sendable, Equatable {
    /// The transcript as given.
    public var input: String
    /// The input's canonical tokens (after the transcript guard's clean-up).
    public var heard: CanonicalTranscript
    /// The corrected canonical tokens.
    public var corrected: CanonicalTranscript
    /// The corrected transcript in readable form (`lufthansa 4393 descend flight level 270`).
    public var readable: String
    /// What the engine noticed along the way (dropped non-Latin text, collapsed repetitions,
    /// pieces, a do-no-harm fallback to the input), for `--explain` and the batch's notes.
    public var notes: [String]
    /// What retrieval found for this transcript (its first piece's; nil when retrieval is off).
    public var retrieval: RetrievalResult?
    /// The candidates weighed, best first (for `--explain`; empty when the stage does not
    /// report them or the transcript was corrected in several pieces).
    public var candidates: [NoisyChannelDecoder.Candidate]

    /// A correction with every field given.
    public init(input: String, heard: CanonicalTranscript, corrected: CanonicalTranscript, readable: String, notes: [String],
                retrieval: RetrievalResult? = nil, candidates: [NoisyChannelDecoder.Candidate] = []) {
        self.input = input
        self.heard = heard
        self.corrected = corrected
        self.readable = readable
        self.notes = notes
        self.retrieval = retrieval
        self.candidates = candidates
    }

    /// A correction from canonical tokens (for correctors that work on tokens of their own).
    public init(input: String, heard: [String], corrected: [String], readable: String, notes: [String]) {
        self.init(input: input, heard: CanonicalTranscript(tokens: heard), corrected: CanonicalTranscript(tokens: corrected),
                  readable: readable, notes: notes)
    }
}
