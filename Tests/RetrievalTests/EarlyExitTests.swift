import GGUF
import Llama
import Testing

/// `LlamaSession.embed(layer:)` stops after the captured block (the index build relies on it
/// for speed). Stopping early leaves the later layers' cache unwritten, so check that a session
/// used that way still evaluates exactly like a fresh one, and that the captured state equals
/// the one a session that ran every block saw (embedding the same tokens after a full pass).
@Suite struct EarlyExitTests {
    @Test(.enabled(if: RetrievalTestSupport.hasModel, "needs models/SmolLM2-135M-Instruct.Q4_1.gguf (run the setup)"))
    func earlyExitLeavesTheSessionUsable() throws {
        let model = try LlamaModel(path: RetrievalTestSupport.modelPath)
        let tokens = try Tokenizer(file: model.file).tokenize("lufthansa 4 3 9 3 descend flight level 2 7 0", addSpecial: true)
            .map { Int32($0) }
        let used = try LlamaSession(model: model, contextLength: 64)
        let early = try used.embed(tokens, layer: 3)
        used.reset()
        try used.evaluate(tokens, logits: .last)
        let afterEarlyExit = Array(used.logits())

        let fresh = try LlamaSession(model: model, contextLength: 64)
        try fresh.evaluate(tokens, logits: .last)
        #expect(afterEarlyExit == Array(fresh.logits()))
        // Same block-3 embedding from a session whose cache holds a complete earlier pass.
        #expect(try fresh.embed(tokens, layer: 3) == early)
        #expect(try fresh.embed(tokens, layer: 3) != fresh.embed(tokens, layer: 4))
    }
}
