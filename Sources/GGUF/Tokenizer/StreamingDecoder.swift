/// Turns a stream of generated token ids into text without ever splitting a UTF-8 character:
/// a token that ends mid-character (byte-fallback and byte-level tokens often do) is held back
/// until the rest arrives.
public struct StreamingDecoder: Sendable {
    /// The tokenizer whose pieces are decoded.
    public let tokenizer: Tokenizer
    /// Whether control tokens are rendered as their text.
    public let renderSpecial: Bool
    private var pending: [UInt8] = []

    /// Creates a decoder; `renderSpecial` shows control tokens such as `<|im_end|>` as text.
    public init(tokenizer: Tokenizer, renderSpecial: Bool = false) {
        self.tokenizer = tokenizer
        self.renderSpecial = renderSpecial
    }

    /// Adds one token and returns the text that is now complete (possibly empty).
    public mutating func append(_ id: Int) -> String {
        pending.append(contentsOf: tokenizer.piece(id, special: renderSpecial))
        let complete = Self.completePrefixLength(pending)
        guard complete > 0 else { return "" }
        let text = String(decoding: pending[..<complete], as: UTF8.self)
        pending.removeFirst(complete)
        return text
    }

    /// Returns whatever is still held back (an unfinished character becomes U+FFFD) and resets.
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// The bytes held back waiting for the rest of a character.
    public var pendingByteCount: Int { pending.count }

    /// The length of the longest prefix that does not end inside an incomplete UTF-8 sequence.
    /// Only a truncated sequence at the very end is held back; malformed bytes elsewhere are let
    /// through (and repaired to U+FFFD) so that a bad token cannot stall the stream.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        let n = bytes.count
        var i = n - 1
        var continuation = 0
        while i >= 0 && continuation < 3 && bytes[i] & 0xC0 == 0x80 {
            continuation += 1
            i -= 1
        }
        guard i >= 0 else { return n }
        let lead = bytes[i]
        let needed: Int
        switch lead {
        case 0xC0...0xDF: needed = 2
        case 0xE0...0xEF: needed = 3
        case 0xF0...0xF7: needed = 4
        default: return n
        }
        return continuation + 1 < needed ? i : n
    }
}
