import ATCText

/// What the ``TranscriptGuard`` hands on: the cleaned transcript and how it is cut into pieces.
public struct GuardedTranscript: Sendable, Equatable {
    /// One stretch of the cleaned transcript.
    public struct Piece: Sendable, Equatable {
        /// Its canonical tokens.
        public var tokens: CanonicalTranscript
        /// True for a piece the engine corrects; false for one passed through unchanged.
        public var corrected: Bool

        /// A piece.
        public init(tokens: CanonicalTranscript, corrected: Bool) {
            self.tokens = tokens
            self.corrected = corrected
        }
    }

    /// The whole cleaned transcript (the pieces' tokens in order).
    public var heard: CanonicalTranscript
    /// The pieces, in order.
    public var pieces: [Piece]
    /// What the guard changed or how it cut the transcript.
    public var notes: [String]

    /// A guarded transcript.
    public init(heard: CanonicalTranscript, pieces: [Piece], notes: [String]) {
        self.heard = heard
        self.pieces = pieces
        self.notes = notes
    }
}
