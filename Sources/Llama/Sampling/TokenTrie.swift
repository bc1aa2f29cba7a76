import GGUF

/// A trie over the byte strings of a vocabulary's tokens, built once per model.
///
/// Constrained decoding asks, per step, which tokens may come next when the output must
/// continue with one of a few allowed byte strings; walking the trie along each allowed string
/// answers that in time proportional to the string, not the vocabulary.
public struct TokenTrie: Sendable {
    private struct Node: Sendable {
        var children: [UInt8: Int32] = [:]
        var tokens: [Int32] = []
    }
    private var nodes: [Node] = [Node()]

    /// Tokens in the vocabulary the trie was built from.
    public let vocabularySize: Int

    /// Builds the trie from each token's bytes (index = token id); empty byte strings (special
    /// or control tokens with no text) are left out.
    public init(tokenBytes: [[UInt8]]) {
        vocabularySize = tokenBytes.count
        for (id, bytes) in tokenBytes.enumerated() where !bytes.isEmpty {
            var node = 0
            for byte in bytes {
                if let next = nodes[node].children[byte] {
                    node = Int(next)
                } else {
                    nodes.append(Node())
                    let next = nodes.count - 1
                    nodes[node].children[byte] = Int32(next)
                    node = next
                }
            }
            nodes[node].tokens.append(Int32(id))
        }
    }

    /// Builds the trie from a model's tokenizer: each token's bytes as it renders in output
    /// (control tokens, which render as nothing, are left out).
    public init(tokenizer: Tokenizer) {
        self.init(tokenBytes: (0..<tokenizer.tokenTexts.count).map { tokenizer.piece($0) })
    }

    /// Allows in `mask` every token whose bytes are a non-empty prefix of `text` (the tokens
    /// that keep the output on course to produce exactly `text` next).
    public func allowPrefixes(of text: some Collection<UInt8>, in mask: inout LogitMask) {
        var node = 0
        for byte in text {
            guard let next = nodes[node].children[byte] else { return }
            node = Int(next)
            for t in nodes[node].tokens { mask.allow(t) }
        }
    }

    /// The tokens whose bytes are a non-empty prefix of `text`.
    public func prefixTokens(of text: some Collection<UInt8>) -> [Int32] {
        var out: [Int32] = []
        var node = 0
        for byte in text {
            guard let next = nodes[node].children[byte] else { break }
            node = Int(next)
            out.append(contentsOf: nodes[node].tokens)
        }
        return out
    }
}
