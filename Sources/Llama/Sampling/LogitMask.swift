/// A set of allowed token ids as a bitset: constrained decoding fills one per step and the
/// sampler skips every token outside it. Clearing and filling cost a few kilobytes of writes
/// for a 152k vocabulary, and the mask never scans token texts.
public struct LogitMask: Sendable, Equatable {
    /// Tokens in the vocabulary.
    public let vocabularySize: Int
    private(set) var words: [UInt64]

    /// A mask over `vocabularySize` tokens allowing none (`allowAll: false`) or all of them.
    public init(vocabularySize: Int, allowAll: Bool = false) {
        self.vocabularySize = vocabularySize
        words = [UInt64](repeating: allowAll ? ~0 : 0, count: (vocabularySize + 63) / 64)
    }

    /// Allows `token`.
    public mutating func allow(_ token: Int32) {
        let t = Int(token)
        guard t >= 0 && t < vocabularySize else { return }
        words[t >> 6] |= 1 << UInt64(t & 63)
    }

    /// Forbids `token`.
    public mutating func forbid(_ token: Int32) {
        let t = Int(token)
        guard t >= 0 && t < vocabularySize else { return }
        words[t >> 6] &= ~(1 << UInt64(t & 63))
    }

    /// Forbids every token (keeps the storage).
    public mutating func removeAll() {
        for i in words.indices { words[i] = 0 }
    }

    /// Whether `token` is allowed.
    @inline(__always)
    public func allows(_ token: Int) -> Bool {
        token >= 0 && token < vocabularySize && words[token >> 6] & (1 << UInt64(token & 63)) != 0
    }

    /// The allowed token ids in increasing order.
    public var allowedTokens: [Int32] {
        var out: [Int32] = []
        for (w, word) in words.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                let b = bits.trailingZeroBitCount
                let t = w * 64 + b
                if t < vocabularySize { out.append(Int32(t)) }
                bits &= bits - 1
            }
        }
        return out
    }
}
