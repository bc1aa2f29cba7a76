/// A vocabulary entry's type, as stored in `tokenizer.ggml.token_type` (llama.cpp's `llama_token_type`).
public enum TokenType: Int32, Sendable {
    /// Undefined (0) or any value llama.cpp does not know.
    case undefined = 0
    /// Ordinary text.
    case normal = 1
    /// The unknown-token placeholder.
    case unknown = 2
    /// Control tokens (`<s>`, `<|im_start|>`): rendered only when asked, matched in text only when asked.
    case control = 3
    /// User-defined tokens: always matched in text and always rendered.
    case userDefined = 4
    /// Reserved, never produced.
    case unused = 5
    /// SentencePiece byte-fallback tokens `<0xNN>`.
    case byte = 6

    /// Whether llama.cpp puts the token in its special-token cache (matched in raw text).
    var isSpecialCandidate: Bool { self == .control || self == .userDefined || self == .unknown }

    /// Whether the token is only matched in text or rendered when the caller asks for special tokens.
    var isControlOrUnknown: Bool { self == .control || self == .unknown }
}
