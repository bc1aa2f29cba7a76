import Foundation
import GGUF
import Llama
import Testing
@testable import Corrector

/// Where the tests find SmolLM2.
enum TestModel {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf").path
    static var available: Bool {
        let present = FileManager.default.fileExists(atPath: path)
        if !present { print("note: \(path) is absent (scripts/setup/fetch-model.sh); the language-model tests are skipped") }
        return present
    }
}

/// The judge's cached, prefix-sharing scoring against the obvious computation: one fresh
/// session per candidate evaluating the whole prompt and reply, log-softmax summed by hand.
@Suite(.enabled(if: TestModel.available, "needs models/SmolLM2-135M-Instruct.Q4_1.gguf"))
struct LanguageModelJudgeTests {
    static let model: LlamaModel? = try? LlamaModel(path: TestModel.path)

    static let examples = [
        CorrectionPrompt.Example(heard: "sabina 481 ryan identified", said: "sabena 481 rhein identified"),
        CorrectionPrompt.Example(heard: "luftheancer 5318 contact zurich 134.6", said: "lufthansa 5318 contact zurich 134.6"),
    ]
    static let candidates = [
        "lufthansa 4393 descend flight level 270",
        "lufthansa 4393 d sign flight level 270",
        "lufthansa 4393 descend flight level 250",
        "lufthansa",
    ]

    /// Sum of log-softmax over the reply's tokens, from a fresh session and one evaluation.
    static func reference(_ judge: LanguageModelJudge, model: LlamaModel, candidate: String, heard: String,
                          examples: [CorrectionPrompt.Example]) throws -> Double {
        let context = judge.tokenizer.tokenize(judge.prompt.fixedPrefix, addSpecial: true, parseSpecial: true)
            + judge.tokenizer.tokenize(judge.prompt.query(examples: examples, heard: heard), parseSpecial: true)
        let reply = judge.tokenizer.tokenize(judge.prompt.scoredReply(candidate), parseSpecial: true)
        let session = try LlamaSession(model: model, contextLength: 1024, threads: 2)
        session.blasThreshold = .max
        let all = (context + reply.dropLast()).map(Int32.init)
        try session.evaluate(all, logits: .all)
        var total = 0.0
        for (offset, target) in reply.enumerated() {
            let row = session.logits(row: context.count - 1 + offset)
            let maximum = Double(row.max()!)
            let sum = row.reduce(0.0) { $0 + exp(Double($1) - maximum) }
            total += Double(row[target]) - maximum - log(sum)
        }
        return total
    }

    @Test(arguments: [CorrectionPrompt.Format.chatML, .prior])
    func cachedScoresMatchFreshEvaluation(format: CorrectionPrompt.Format) throws {
        let model = try #require(Self.model)
        // Both sides take the integer products for every batch (sgemm on f32 activations rounds
        // differently), so caching and prefix sharing are the only differences left.
        let judge = try LanguageModelJudge(model: model, format: format, instruction: CorrectionPrompt.standardInstruction,
                                           threadsPerSession: 2, contextLength: 1024, blasThreshold: .max)
        let heard = "luftheancer 4393 d sign flight level 270"
        let scores = try judge.logProbabilities(of: Self.candidates, heard: heard, examples: Self.examples)
        // A second request reuses the pooled session and must give the same figures.
        let again = try judge.logProbabilities(of: Self.candidates.reversed(), heard: heard, examples: Self.examples)
        for (index, candidate) in Self.candidates.enumerated() where index != 2 {
            let truth = try Self.reference(judge, model: model, candidate: candidate, heard: heard, examples: Self.examples)
            // Float rounding only (the exponentials are Float on one side, Double on the other).
            #expect(abs(scores[index] - truth) < 1e-3, "\(candidate): \(scores[index]) vs \(truth)")
            #expect(abs(again[Self.candidates.count - 1 - index] - scores[index]) < 1e-6)
        }
        if format == .prior {
            // As a phrase prior, the model must prefer the real phraseology to the misheard form
            // (shown the transcript, it prefers copying it: why the engine uses the prior).
            #expect(scores[0] > scores[1])
        }
    }

    @Test func priorPromptWithoutExamplesScoresAfterTheFixedHead() throws {
        // Nothing between the fixed head and the reply: the judge re-evaluates the head's last
        // token for the first reply token's logits.
        let model = try #require(Self.model)
        let judge = try LanguageModelJudge(model: model, format: .prior, instruction: CorrectionPrompt.standardInstruction,
                                           threadsPerSession: 2, contextLength: 1024, blasThreshold: .max)
        let scores = try judge.logProbabilities(of: Self.candidates, heard: "ignored by the prior prompt", examples: [])
        for index in [0, 1] {
            let truth = try Self.reference(judge, model: model, candidate: Self.candidates[index], heard: "", examples: [])
            #expect(abs(scores[index] - truth) < 1e-3)
        }
    }

    @Test func rewriterRefusesThePriorPrompt() throws {
        let model = try #require(Self.model)
        // The prior prompt never shows the transcript, so there is nothing to rewrite.
        #expect(throws: LanguageModelJudgeError.self) {
            _ = try ConstrainedRewriter(judge: try LanguageModelJudge(model: model, format: .prior))
        }
    }

    @Test func examplesAreDroppedToFitTheContext() throws {
        let model = try #require(Self.model)
        let judge = try LanguageModelJudge(model: model, contextLength: 160)
        let many = Array(repeating: Self.examples, count: 10).flatMap { $0 }
        let scores = try judge.logProbabilities(of: ["lufthansa 4393"], heard: "lufthansa 4393", examples: many)
        #expect(scores.count == 1 && scores[0] < 0)
        let tiny = try LanguageModelJudge(model: model, contextLength: 8)
        #expect(throws: LanguageModelJudgeError.self) {
            _ = try tiny.logProbabilities(of: ["lufthansa 4393"], heard: "lufthansa 4393", examples: [])
        }
    }

    @Test func constrainedRewriteUsesOnlyAllowedWords() throws {
        let model = try #require(Self.model)
        let rewriter = try ConstrainedRewriter(judge: try LanguageModelJudge(model: model))
        let allowed: Set<String> = ["lufthansa", "descend", "flight", "level"]
        let text = try rewriter.rewrite(heard: "luftheancer 4393 d sign flight level 270", examples: Self.examples,
                                        allowedWords: allowed, maxTokens: 24)
        let words = text.split(separator: " ").map(String.init)
        #expect(!words.isEmpty)
        for word in words {
            #expect(allowed.contains(word) || word.allSatisfy { $0.isNumber || $0 == "." }, "\(word) in \(text)")
        }
    }

    @Test func freeRewriteIsPlainGreedyDecoding() throws {
        let model = try #require(Self.model)
        let judge = try LanguageModelJudge(model: model)
        let rewriter = try ConstrainedRewriter(judge: judge)
        let heard = "sabina 481 ryan identified"
        let text = try rewriter.rewrite(heard: heard, examples: Self.examples, allowedWords: nil, maxTokens: 16)
        // Reference: argmax loop over a fresh session.
        let session = try LlamaSession(model: model, contextLength: 1024, threads: 2)
        let prompt = judge.tokenizer.tokenize(judge.prompt.fixedPrefix, addSpecial: true, parseSpecial: true)
            + judge.tokenizer.tokenize(judge.prompt.query(examples: Self.examples, heard: heard), parseSpecial: true)
        try session.evaluate(prompt.map(Int32.init), logits: .last)
        var out: [Int] = []
        let end = judge.tokenizer.tokenize("<|im_end|>", parseSpecial: true)
        for _ in 0..<16 {
            let logits = session.logits()
            let next = logits.indices.max { logits[$0] < logits[$1] }!
            if end.contains(next) || judge.tokenizer.endOfGeneration.contains(next) { break }
            out.append(next)
            if judge.tokenizer.piece(next).contains(0x0A) { break }
            try session.evaluate([Int32(next)], logits: .last)
        }
        let expected = judge.tokenizer.detokenize(out).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(text == expected)
    }
}
