/// A transcript in the canonical ATC normal form: the one data shape the engine's stages pass
/// between them (guard → retrieval → bias → decoder → judge → output).
///
/// Normalising happens once, when the value is made from raw text; every later stage reads the
/// tokens (or the space-joined ``text`` computed with them) instead of splitting and joining
/// strings again, so two stages can never disagree about what a transcript's words are.
public struct CanonicalTranscript: Sendable, Hashable, RandomAccessCollection, CustomStringConvertible {
    /// The canonical tokens (one digit per token, lowercase ASCII words).
    public let tokens: [String]
    /// The tokens joined by single spaces: the key used by the phrase store and the lexical index.
    public let text: String

    /// Normalises raw text (Whisper output, a reference, a user's query) into canonical tokens.
    public init(normalising raw: String) {
        self.init(tokens: ATCNormalizer.canonicalTokens(raw))
    }

    /// Wraps tokens that are already canonical (decoder output, stored phrases).
    public init<S: Sequence>(tokens: S) where S.Element == String {
        let array = Array(tokens)
        self.tokens = array
        self.text = array.joined(separator: " ")
    }

    /// Wraps a stored canonical string (tokens separated by single spaces).
    public init(canonicalText: String) {
        self.init(tokens: canonicalText.split(separator: " ", omittingEmptySubsequences: true).map(String.init))
    }

    /// The empty transcript.
    public static let empty = CanonicalTranscript(tokens: [String]())

    /// The readable form: digit runs as numbers, `decimal` between digit runs as a dot.
    public var readable: String { ATCNormalizer.readable(tokens: tokens) }

    public var description: String { text }

    public var startIndex: Int { tokens.startIndex }
    public var endIndex: Int { tokens.endIndex }
    public subscript(position: Int) -> String { tokens[position] }

    public static func == (lhs: CanonicalTranscript, rhs: CanonicalTranscript) -> Bool { lhs.tokens == rhs.tokens }
    public func hash(into hasher: inout Hasher) { hasher.combine(tokens) }
}
