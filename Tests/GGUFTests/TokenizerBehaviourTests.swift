import Foundation
import Testing
@testable import GGUF

/// Special tokens, BOS/EOS rules, decoding and chat formatting.
@Suite struct TokenizerBehaviourTests {
    struct SpecialFixture: Decodable {
        struct Case: Decodable {
            let vocab: String
            let text: String
            let add_special: Bool
            let parse_special: Bool
            let ids: [Int]
        }
        let cases: [Case]
    }

    static func vocabPath(_ name: String) -> String {
        VocabFixtureTests.directory.appendingPathComponent("ggml-vocab-\(name).gguf").path
    }

    /// llama.cpp's ids (Fixtures/vocab-special-tokens.json, recorded by
    /// scripts/fixtures/record-vocab-special-tokens.py) for control tokens in text, user-defined tokens,
    /// and BOS/EOS insertion, in all four combinations of add_special / parse_special.
    @Test(.enabled(if: VocabFixtureTests.fixturesPresent)) func specialTokenPathsEqualLlamaCpp() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/vocab-special-tokens.json")
        let fixture = try JSONDecoder().decode(SpecialFixture.self, from: Data(contentsOf: url))
        #expect(fixture.cases.count == 72)
        var tokenizers: [String: Tokenizer] = [:]
        for c in fixture.cases {
            if tokenizers[c.vocab] == nil { tokenizers[c.vocab] = try Tokenizer(path: Self.vocabPath(c.vocab)) }
            let ids = tokenizers[c.vocab]!.tokenize(c.text, addSpecial: c.add_special, parseSpecial: c.parse_special)
            #expect(ids == c.ids, "\(c.vocab) \(c.text.debugDescription) add \(c.add_special) parse \(c.parse_special)")
        }
    }

    /// Decoding the tokens of every llama.cpp test input gives the input back: byte-level BPE
    /// without space cleaning (qwen2) is lossless, and SentencePiece drops the space it prefixed.
    @Test(.enabled(if: VocabFixtureTests.fixturesPresent)) func decodeInvertsEncode() throws {
        for name in ["qwen2", "llama-spm"] {
            let tokenizer = try Tokenizer(path: Self.vocabPath(name))
            for (input, expected) in try VocabFixtureTests.cases(name) {
                guard let text = String(validating: input, as: UTF8.self) else { continue }
                #expect(tokenizer.detokenize(expected) == text, "\(name) \(text.debugDescription)")
            }
        }
    }

    /// GPT-2 and Llama 3 clean spaces before punctuation on decode (llama.cpp's clean_spaces).
    @Test(.enabled(if: VocabFixtureTests.fixturesPresent)) func cleanSpacesOnDecode() throws {
        let gpt2 = try Tokenizer(path: Self.vocabPath("gpt-2"))
        #expect(gpt2.cleanSpaces)
        let ids = gpt2.tokenize("roger , wilco . is ' it ' ok ? we 're fine !")
        #expect(gpt2.detokenize(ids) == "roger, wilco. is'it'ok? we're fine!")
        #expect(Tokenizer.cleanUpSpaces(Array("a ' b".utf8)) == Array("a'b".utf8))
    }

    /// SentencePiece byte fallback: 🦙 is four `<0xNN>` tokens; the streaming decoder holds the
    /// bytes until the character is complete.
    @Test(.enabled(if: VocabFixtureTests.fixturesPresent)) func streamingHoldsPartialCharacters() throws {
        let spm = try Tokenizer(path: Self.vocabPath("llama-spm"))
        let ids = spm.tokenize("a🦙b")
        // ▁a, <0xF0>, <0x9F>, <0xA6>, <0x99>, b  — byte tokens are ids 3 + byte value.
        #expect(ids == [263, 3 + 0xF0, 3 + 0x9F, 3 + 0xA6, 3 + 0x99, 29890])
        var decoder = StreamingDecoder(tokenizer: spm)
        let outputs = ids.map { decoder.append($0) }
        #expect(outputs == [" a", "", "", "", "🦙", "b"])
        #expect(decoder.finish() == "")
        // An unfinished character at the end is flushed as U+FFFD.
        var partial = StreamingDecoder(tokenizer: spm)
        #expect(partial.append(3 + 0xF0) == "")
        #expect(partial.pendingByteCount == 1)
        #expect(partial.finish() == "\u{FFFD}")
    }

    @Test func utf8CompletePrefix() {
        #expect(StreamingDecoder.completePrefixLength([0x61, 0xE2, 0x9C]) == 1)
        #expect(StreamingDecoder.completePrefixLength([0x61, 0xE2, 0x9C, 0x88]) == 4)
        #expect(StreamingDecoder.completePrefixLength([0xF0, 0x9F, 0xA6]) == 0)
        #expect(StreamingDecoder.completePrefixLength([0x80, 0x80]) == 2, "stray continuations are not held")
        #expect(StreamingDecoder.completePrefixLength([]) == 0)
    }

    /// ChatML renderings equal what Jinja2 (3.1.6) produces from the files' own templates,
    /// including SmolLM2's default system prompt.
    @Test(.enabled(if: TestSupport.hasSmolLM2)) func chatMLMatchesJinjaRendering() throws {
        let file = try GGUFFile(path: TestSupport.smolLM2Path)
        let template = try #require(ChatTemplate(file: file))
        #expect(template == .chatML(defaultSystemPrompt: "You are a helpful AI assistant named SmolLM, trained by Hugging Face"))
        #expect(template.render([ChatMessage(role: "user", content: "speedbird 123 descend FL80")])
                == "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\nspeedbird 123 descend FL80<|im_end|>\n<|im_start|>assistant\n")
        let conversation = [ChatMessage(role: "system", content: "Correct ATC transcripts."), ChatMessage(role: "user", content: "dlh 451 climb"),
                            ChatMessage(role: "assistant", content: "DLH451 climb"), ChatMessage(role: "user", content: "next")]
        #expect(template.render(conversation)
                == "<|im_start|>system\nCorrect ATC transcripts.<|im_end|>\n<|im_start|>user\ndlh 451 climb<|im_end|>\n<|im_start|>assistant\nDLH451 climb<|im_end|>\n<|im_start|>user\nnext<|im_end|>\n<|im_start|>assistant\n")
        // The rendered prompt tokenizes into the control tokens when parsed as special.
        let tokenizer = try Tokenizer(file: file)
        let ids = tokenizer.tokenize(template.render(conversation), parseSpecial: true)
        #expect(ids.first == 1 && ids.filter { $0 == 2 }.count == 4)
    }

    @Test(.enabled(if: VocabFixtureTests.fixturesPresent)) func qwenTemplateDefaultSystem() throws {
        let template = try #require(ChatTemplate(file: GGUFFile(path: Self.vocabPath("qwen2"))))
        #expect(template.render([ChatMessage(role: "user", content: "speedbird 123 descend FL80")])
                == "<|im_start|>system\nYou are a helpful assistant<|im_end|>\n<|im_start|>user\nspeedbird 123 descend FL80<|im_end|>\n<|im_start|>assistant\n")
    }

    /// Llama 2 `[INST]` prompts, written out by hand from the Llama 2 chat format.
    @Test func llama2Rendering() {
        let template = ChatTemplate(templateText: "{% if messages[0]['role'] == 'system' %}<<SYS>>{% endif %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}")
        #expect(template == .llama2(systemBlock: true, bosInHistory: true, stripContent: true))
        let messages = [ChatMessage(role: "system", content: "Fix ATC."), ChatMessage(role: "user", content: " dlh 451 "),
                        ChatMessage(role: "assistant", content: "DLH451"), ChatMessage(role: "user", content: "next")]
        #expect(template?.render(messages) == "[INST] <<SYS>>\nFix ATC.\n<</SYS>>\n\ndlh 451 [/INST]DLH451</s><s>[INST] next [/INST]")
        let plain = ChatTemplate.llama2(systemBlock: false, bosInHistory: false, stripContent: false)
        #expect(plain.render(messages) == "[INST] Fix ATC.\n dlh 451  [/INST]DLH451</s>[INST] next [/INST]")
        #expect(ChatTemplate(templateText: "{{ messages }}") == nil)
    }

    /// A file without tokenizer metadata or with an unsupported model gives a TokenizerError.
    @Test func unsupportedTokenizersAreReported() throws {
        var w = GGUFWriter()
        w.set("tokenizer.ggml.model", .string("bert"))
        w.set("tokenizer.ggml.tokens", .array(.string(["a"])))
        let path = try TestSupport.writeTemporary(w.bytes())
        #expect { try Tokenizer(path: path) } throws: { ($0 as? TokenizerError)?.detail.contains("bert") == true }
        var w2 = GGUFWriter()
        w2.set("tokenizer.ggml.model", .string("gpt2"))
        w2.set("tokenizer.ggml.pre", .string("default"))
        w2.set("tokenizer.ggml.tokens", .array(.string(["a"])))
        w2.set("tokenizer.ggml.merges", .array(.string([])))
        let path2 = try TestSupport.writeTemporary(w2.bytes())
        #expect { try Tokenizer(path: path2) } throws: { ($0 as? TokenizerError)?.detail.contains("pre-tokenizer") == true }
    }

    /// A tiny hand-made byte-level vocabulary where the merge order, not the vocabulary, decides:
    /// with merges [a b, b c] "abc" becomes ab + c; with [b c, a b] it becomes a + bc.
    @Test func mergeRankDecides() throws {
        func tokenizer(_ merges: [String]) throws -> Tokenizer {
            var w = GGUFWriter()
            w.set("tokenizer.ggml.model", .string("gpt2"))
            w.set("tokenizer.ggml.pre", .string("gpt-2"))
            w.set("tokenizer.ggml.tokens", .array(.string(["a", "b", "c", "ab", "bc", "abc"])))
            w.set("tokenizer.ggml.merges", .array(.string(GGUFStringArray(merges))))
            return try Tokenizer(path: TestSupport.writeTemporary(w.bytes()))
        }
        #expect(try tokenizer(["a b", "b c"]).tokenize("abc") == [3, 2])
        #expect(try tokenizer(["b c", "a b"]).tokenize("abc") == [0, 4])
        #expect(try tokenizer(["a b", "ab c"]).tokenize("abc") == [5])
        // Bytes with no token are dropped, as llama.cpp does ("d" is not in the vocabulary).
        #expect(try tokenizer(["a b"]).tokenize("abd") == [3])
    }
}
