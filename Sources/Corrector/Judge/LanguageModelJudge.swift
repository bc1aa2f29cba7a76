import ATCText
import GGUF
import Llama
import Foundation
import Synchronization

/// Scores candidate corrections with a LLaMA-family model: the log-probability of each
/// candidate as the reply to a few-shot correction prompt.
///
/// The fixed instruction is evaluated once per session and kept in its cache (every request
/// truncates back to it); the examples and the transcript are evaluated once per request and
/// the candidates, sorted so that shared beginnings are adjacent, re-evaluate only from where
/// they differ from the previous one. Sessions are pooled, so concurrent requests (the batch
/// job) each borrow their own while the weights stay shared.
public final class LanguageModelJudge: Sendable {
    /// The model.
    public let model: LlamaModel
    /// Its tokenizer.
    public let tokenizer: Tokenizer
    /// The prompt layout.
    public let prompt: CorrectionPrompt
    /// Threads each session evaluates on.
    public let threadsPerSession: Int
    /// Positions each session holds.
    public let contextLength: Int

    let fixedTokens: [Int32]
    private let idle = Mutex<[PooledSession]>([])
    /// Overrides the sessions' batch length from which sgemm takes over (tests set it out of
    /// reach so every product takes the same integer path as a reference evaluation).
    let blasThreshold: Int?

    /// A judge over a loaded model. `format` defaults to the one the file's chat template
    /// suggests.
    public convenience init(model: LlamaModel, format: CorrectionPrompt.Format? = nil, instruction: String = CorrectionPrompt.standardInstruction,
                threadsPerSession: Int = 2, contextLength: Int = 1024) throws {
        try self.init(model: model, format: format, instruction: instruction, threadsPerSession: threadsPerSession,
                      contextLength: contextLength, blasThreshold: nil)
    }

    init(model: LlamaModel, format: CorrectionPrompt.Format?, instruction: String, threadsPerSession: Int,
         contextLength: Int, blasThreshold: Int?) throws {
        self.blasThreshold = blasThreshold
        self.model = model
        tokenizer = try Tokenizer(file: model.file)
        prompt = CorrectionPrompt(format: format ?? CorrectionPrompt.format(for: model.file), instruction: instruction)
        self.threadsPerSession = max(1, threadsPerSession)
        self.contextLength = contextLength
        fixedTokens = tokenizer.tokenize(prompt.fixedPrefix, addSpecial: true, parseSpecial: true).map(Int32.init)
    }

    /// The tokens of the fixed instruction block (BOS included when the model adds one).
    public var fixedPrefixTokenCount: Int { fixedTokens.count }

    /// The log-probability of each candidate (readable text) as the reply to the prompt made of
    /// `examples` and `heard`, in the order given. Examples are dropped from the front when the
    /// prompt would not fit the context.
    public func logProbabilities(of candidates: [String], heard: String, examples: [CorrectionPrompt.Example]) throws -> [Double] {
        guard !candidates.isEmpty else { return [] }
        let replies = candidates.map { tokenizer.tokenize(prompt.scoredReply($0), parseSpecial: true).map(Int32.init) }
        let longest = replies.map(\.count).max() ?? 0
        var shots = examples
        var query = tokens(of: prompt.query(examples: shots, heard: heard))
        while fixedTokens.count + query.count + longest > contextLength {
            guard !shots.isEmpty else {
                throw LanguageModelJudgeError(detail: "the transcript and its candidates need \(fixedTokens.count + query.count + longest) tokens, more than the judge's context of \(contextLength)")
            }
            shots.removeFirst()
            query = tokens(of: prompt.query(examples: shots, heard: heard))
        }
        let lease = try borrow()
        defer { giveBack(lease) }
        return try score(replies, after: query, in: lease.session)
    }

    private func score(_ replies: [[Int32]], after query: [Int32], in session: LlamaSession) throws -> [Double] {
        if query.isEmpty {
            // Nothing between the fixed prefix and the reply: re-evaluate its last token for
            // the logits of the reply's first.
            try session.truncate(to: fixedTokens.count - 1)
            try session.evaluate([fixedTokens[fixedTokens.count - 1]], logits: .last)
        } else {
            try session.truncate(to: fixedTokens.count)
            try session.evaluate(query, logits: .last)
        }
        let base = session.tokens.count
        let firstRow = Array(session.logits())
        let order = replies.indices.sorted { replies[$0].lexicographicallyPrecedes(replies[$1]) }
        var results = [Double](repeating: 0, count: replies.count)
        var previous: [Int32] = []
        var previousLogProbs: [Double] = []
        for index in order {
            let reply = replies[index]
            guard !reply.isEmpty else { continue }
            let shared = zip(previous, reply).prefix { $0 == $1 }.count
            var logProbs = Array(previousLogProbs.prefix(shared))
            if shared == 0 {
                logProbs.append(firstRow.withUnsafeBufferPointer { Self.logSoftmax($0, at: Int(reply[0])) })
            }
            let known = logProbs.count
            if known < reply.count {
                // Tokens reply[known - 1 ..< count - 1] predict reply[known ..< count].
                try session.truncate(to: base + known - 1)
                try session.evaluate(Array(reply[(known - 1)..<(reply.count - 1)]), logits: .all)
                for (row, target) in reply[known...].enumerated() {
                    logProbs.append(Self.logSoftmax(session.logits(row: row), at: Int(target)))
                }
            }
            results[index] = logProbs.reduce(0, +)
            previous = reply
            previousLogProbs = logProbs
        }
        return results
    }

    func tokens(of text: String) -> [Int32] {
        tokenizer.tokenize(text, parseSpecial: true).map(Int32.init)
    }

    /// log softmax(logits)[target], computed stably.
    static func logSoftmax(_ logits: UnsafeBufferPointer<Float>, at target: Int) -> Double {
        var maximum = -Float.infinity
        for value in logits where value > maximum { maximum = value }
        var sum = 0.0
        for value in logits { sum += Double(expf(value - maximum)) }
        return Double(logits[target] - maximum) - log(sum)
    }

    func borrow() throws -> PooledSession {
        if let lease = idle.withLock({ $0.popLast() }) { return lease }
        let session = try LlamaSession(model: model, contextLength: contextLength, threads: threadsPerSession)
        if let blasThreshold { session.blasThreshold = blasThreshold }
        try session.evaluate(fixedTokens, logits: .none)
        return PooledSession(session)
    }

    func giveBack(_ lease: PooledSession) {
        idle.withLock { $0.append(lease) }
    }
}
