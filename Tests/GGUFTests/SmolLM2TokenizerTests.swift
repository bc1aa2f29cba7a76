import Foundation
import Testing
@testable import GGUF

/// SmolLM2's tokenizer against ids recorded from llama.cpp (llama-cpp-python 0.3.36,
/// vocab_only) by scripts/fixtures/record-smollm2-tokens.py into Fixtures/smollm2-tokens.json.
@Suite(.enabled(if: TestSupport.hasSmolLM2, "needs models/SmolLM2-135M-Instruct.Q4_1.gguf"))
struct SmolLM2TokenizerTests {
    struct Fixture: Decodable {
        struct Case: Decodable {
            let text: String
            let add_special: Bool
            let parse_special: Bool
            let ids: [Int]
            let detokenized: String
        }
        let cases: [Case]
    }

    static func fixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/smollm2-tokens.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    @Test func idsEqualLlamaCpp() throws {
        let tokenizer = try Tokenizer(path: TestSupport.smolLM2Path)
        #expect(tokenizer.model == .bytePair && tokenizer.preTokenizer == .smollm)
        let fixture = try Self.fixture()
        #expect(fixture.cases.count >= 200)
        var equal = 0
        for c in fixture.cases {
            let ids = tokenizer.tokenize(c.text, addSpecial: c.add_special, parseSpecial: c.parse_special)
            if ids == c.ids {
                equal += 1
            } else {
                Issue.record("\(c.text.debugDescription) special(add: \(c.add_special), parse: \(c.parse_special)) → \(ids), llama.cpp \(c.ids)")
            }
        }
        print("SmolLM2: \(equal)/\(fixture.cases.count) cases equal to llama.cpp")
    }

    /// Decoding llama.cpp's ids gives llama.cpp's text (llama-cpp-python concatenates
    /// `token_to_piece` and drops a space right after a leading BOS).
    @Test func detokenizeEqualsLlamaCpp() throws {
        let tokenizer = try Tokenizer(path: TestSupport.smolLM2Path)
        for c in try Self.fixture().cases {
            let special = c.add_special || c.parse_special
            var bytes = c.ids.flatMap { tokenizer.piece($0, special: special) }
            if c.ids.first == tokenizer.bos, bytes.first == 0x20 { bytes.removeFirst() }
            #expect(String(decoding: bytes, as: UTF8.self) == c.detokenized, "\(c.text.debugDescription)")
            #expect(tokenizer.detokenize(c.ids, renderSpecial: special) == String(decoding: c.ids.flatMap { tokenizer.piece($0, special: special) }, as: UTF8.self))
        }
    }

    @Test func metadataRules() throws {
        let tokenizer = try Tokenizer(path: TestSupport.smolLM2Path)
        // From the file (checked with gguf-py): add_bos_token false, bos 1, eos 2, 49152 tokens.
        #expect(tokenizer.count == 49152)
        #expect(tokenizer.addBOS == false && tokenizer.addEOS == false && tokenizer.addSpacePrefix == false)
        #expect(tokenizer.bos == 1 && tokenizer.eos == 2)
        // llama.cpp (llama_vocab_eot / llama_vocab_is_eog via llama-cpp-python) reports eot 0 and EOG {0, 2, 4}.
        #expect(tokenizer.eot == 0)
        #expect(tokenizer.endOfGeneration == [0, 2, 4])
        #expect(tokenizer.tokenID("<|im_start|>") == 1)
        #expect(tokenizer.type(of: 1) == .control)
    }
}
