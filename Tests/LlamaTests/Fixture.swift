import Foundation
import Testing
@testable import Llama

/// The llama.cpp reference outputs recorded by scripts/fixtures/record-llama-fixtures.py.
struct LlamaFixture: Decodable {
    struct TopLogits: Decodable { let ids: [Int32]; let logits: [Float] }
    struct Prompt: Decodable {
        let name: String
        let text: String
        let tokens: [Int32]
        let topLogits: [TopLogits]
        let greedy: [Int32]
        let greedyTopLogits: [TopLogits]
        /// The prompt fed to llama.cpp one token at a time (its single-token kernels).
        let topLogitsTokenByToken: [TopLogits]
    }
    struct Embedding: Decodable { let text: String; let tokens: [Int32]; let embedding: [Float] }
    let model: String
    let reference: String
    let eos: Int32
    let prompts: [Prompt]
    let embeddings: [Embedding]

    static func load(_ name: String) throws -> LlamaFixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        return try JSONDecoder().decode(LlamaFixture.self, from: Data(contentsOf: url))
    }
}

/// Where the test models live: `$ATCFIX_MODELS` or `<package root>/models` (a symlink to the
/// main checkout's models in a worktree).
enum TestModels {
    static var directory: String {
        if let env = ProcessInfo.processInfo.environment["ATCFIX_MODELS"] { return env }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("models").path
    }
    static let smolLMPath = directory + "/SmolLM2-135M-Instruct.Q4_1.gguf"
    static var haveSmolLM: Bool {
        let present = FileManager.default.fileExists(atPath: smolLMPath)
        if !present { print("note: \(smolLMPath) is absent; model tests are skipped (run scripts/setup/fetch-model.sh)") }
        return present
    }

    /// One shared load for all tests (the model is immutable and Sendable).
    static let smolLM: LlamaModel? = try? LlamaModel(path: smolLMPath)

    /// Qwen2.5-Coder-1.5B Q4_K_M: `$ATCFIX_QWEN_MODEL` or `<package root>/.cache/models/…`.
    static var qwenPath: String {
        ProcessInfo.processInfo.environment["ATCFIX_QWEN_MODEL"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".cache/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf").path
    }
    static var qwenEnabled: Bool {
        guard ProcessInfo.processInfo.environment["ATCFIX_QWEN_TESTS"] == "1" else { return false }
        let present = FileManager.default.fileExists(atPath: qwenPath)
        if !present { print("note: ATCFIX_QWEN_TESTS=1 but \(qwenPath) is absent (run scripts/setup/fetch-qwen.sh)") }
        return present
    }
    static let qwen: LlamaModel? = try? LlamaModel(path: qwenPath)
}
