import ATCText
import Foundation
import Llama

/// Lets the model write the correction itself, greedily, after the same few-shot prompt the
/// judge uses — either freely or under a word-level constraint: each word it writes must be
/// one of an allowed set (the transcript's own words, the decoder's candidates' words,
/// retrieved examples' words) or a number, enforced per step by a token trie over the
/// tokenizer, so the output stays within what was heard and what retrieval justifies.
public struct ConstrainedRewriter: Sendable {
    /// The model and prompt (its session pool is shared).
    public let judge: LanguageModelJudge
    private let trie: TokenTrie
    private let digitTokens: [Int32]
    private let spacedDigitTokens: [Int32]
    private let endToken: Int32
    private let spaceToken: Int32?

    /// A rewriter over the judge's model.
    public init(judge: LanguageModelJudge) throws {
        self.judge = judge
        let tokenizer = judge.tokenizer
        trie = TokenTrie(tokenizer: tokenizer)
        var digits: [Int32] = [], spaced: [Int32] = []
        for id in 0..<tokenizer.count {
            let piece = tokenizer.piece(id)
            guard !piece.isEmpty else { continue }
            if piece.allSatisfy(Self.isNumberByte) { digits.append(Int32(id)) }
            if piece.count > 1, piece[0] == 0x20, piece.dropFirst().allSatisfy(Self.isNumberByte), Self.isDigit(piece[1]) {
                spaced.append(Int32(id))
            }
        }
        digitTokens = digits
        spacedDigitTokens = spaced
        let end = judge.tokens(of: judge.prompt.scoredReply("").trimmingCharacters(in: [" "]))
        guard end.count == 1 else {
            throw LanguageModelJudgeError(detail: "the reply end marker is not a single token of \(judge.model.file.path)")
        }
        endToken = end[0]
        let space = tokenizer.tokenize(" ")
        spaceToken = space.count == 1 ? Int32(space[0]) : nil
        guard judge.prompt.format != .prior else {
            throw LanguageModelJudgeError(detail: "the prior prompt shows no transcript, so the model cannot rewrite one; use the chatml or plain format")
        }
    }

    /// The model's greedy correction of `heard` (readable), constrained to `allowedWords`
    /// (readable words; numbers are always allowed) or free when `allowedWords` is nil.
    /// Stops at the end of the reply or after `maxTokens`.
    public func rewrite(heard: String, examples: [CorrectionPrompt.Example], allowedWords: Set<String>?, maxTokens: Int) throws -> String {
        let query = judge.tokens(of: judge.prompt.query(examples: examples, heard: heard))
        guard judge.fixedTokens.count + query.count + maxTokens <= judge.contextLength else {
            throw LanguageModelJudgeError(detail: "the prompt (\(query.count) tokens) and \(maxTokens) more exceed the context of \(judge.contextLength)")
        }
        let lease = try judge.borrow()
        defer { judge.giveBack(lease) }
        let session = lease.session
        try session.truncate(to: judge.fixedTokens.count)
        try session.evaluate(query, logits: .last)
        let tokenizer = judge.tokenizer
        let words = allowedWords.map { Array($0).map { Array($0.utf8) } }
        var mask = LogitMask(vocabularySize: tokenizer.count)
        var output: [UInt8] = []
        // The word being written (without its space), or nil between words; `spaced` when the
        // last token was a bare space, so the next one must start a word without one.
        var partial: [UInt8]?
        var spaced = judge.prompt.format == .chatML
        for _ in 0..<maxTokens {
            var chosen: Int32?
            if let words {
                mask.removeAll()
                let complete = partial.map { words.contains($0) || Self.isNumber($0) } ?? true
                if complete {
                    // A new word may start here; after one, the reply may end.
                    let space: [UInt8] = spaced ? [] : [0x20]
                    for word in words { trie.allowPrefixes(of: space + word, in: &mask) }
                    for t in (spaced ? digitTokens : spacedDigitTokens) { mask.allow(t) }
                    if !spaced, let space = spaceToken { mask.allow(space) }
                    if !output.isEmpty, !spaced { mask.allow(endToken) }
                }
                if let partial, !partial.isEmpty {
                    for word in words where word.count > partial.count && word.starts(with: partial) {
                        trie.allowPrefixes(of: word[partial.count...], in: &mask)
                    }
                    if Self.isNumber(partial) { for t in digitTokens { mask.allow(t) } }
                }
                chosen = Sampler.argmax(session.logits(), mask: mask)
            } else {
                chosen = Sampler.argmax(session.logits())
            }
            guard let token = chosen, token != endToken, !tokenizer.endOfGeneration.contains(Int(token)) else { break }
            let piece = tokenizer.piece(Int(token))
            output += piece
            if piece.contains(0x0A) { break }
            if piece == [0x20] {
                partial = nil
                spaced = true
            } else if piece.first == 0x20 {
                partial = Array(piece.dropFirst())
                spaced = false
            } else {
                partial = (spaced ? [] : partial ?? []) + piece
                spaced = false
            }
            try session.evaluate([token], logits: .last)
        }
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isNumberByte(_ byte: UInt8) -> Bool { isDigit(byte) || byte == 0x2E }
    private static func isNumber(_ bytes: [UInt8]) -> Bool { !bytes.isEmpty && bytes.allSatisfy(isNumberByte) && isDigit(bytes[0]) }
}
