import Foundation
import Testing
@testable import GGUF

/// llama.cpp's own tokenizer test cases (`models/ggml-vocab-*.gguf{,.inp,.out}` of the
/// llama-cpp-python 0.3.36 sdist, fetched by scripts/setup/fetch-vocab-fixtures.sh into .cache/vocab):
/// every input must give exactly llama.cpp's ids, as test-tokenizer-0 checks them
/// (add_special = false, parse_special = false).
@Suite struct VocabFixtureTests {
    static let directory = TestSupport.packageRoot.appendingPathComponent(".cache/vocab")

    static var fixturesPresent: Bool {
        let present = ["llama-spm", "llama-bpe", "qwen2", "gpt-2"].allSatisfy {
            FileManager.default.fileExists(atPath: directory.appendingPathComponent("ggml-vocab-\($0).gguf.out").path)
        }
        if !present {
            print("NOTE: llama.cpp vocab fixtures absent in \(directory.path); run scripts/setup/fetch-vocab-fixtures.sh. Vocab tests skipped.")
        }
        return present
    }

    /// The cases of one vocabulary, parsed as test-tokenizer-0 does: inputs separated by
    /// "\n__ggml_vocab_test__\n", one line of space-separated ids per input.
    static func cases(_ name: String) throws -> [(input: [UInt8], expected: [Int])] {
        let base = directory.appendingPathComponent("ggml-vocab-\(name).gguf")
        let raw = try [UInt8](Data(contentsOf: base.appendingPathExtension("inp")))
        let separator = Array("\n__ggml_vocab_test__\n".utf8)
        var inputs: [[UInt8]] = []
        var position = 0
        while position < raw.count {
            var next: Int? = nil
            var i = position
            while i + separator.count <= raw.count {
                if raw[i..<(i + separator.count)].elementsEqual(separator) { next = i; break }
                i += 1
            }
            guard let found = next else { inputs.append(Array(raw[position...])); break }
            inputs.append(Array(raw[position..<found]))
            position = found + separator.count
        }
        let lines = try String(contentsOf: base.appendingPathExtension("out"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        var outputs = lines.map { $0.split(separator: " ").compactMap { Int($0) } }
        if outputs.count == inputs.count + 1, lines.last == "" { outputs.removeLast() }
        #expect(inputs.count == outputs.count, "\(name): \(inputs.count) inputs, \(outputs.count) outputs")
        return Array(zip(inputs, outputs))
    }

    func check(_ name: String) throws {
        let tokenizer = try Tokenizer(path: Self.directory.appendingPathComponent("ggml-vocab-\(name).gguf").path)
        let cases = try Self.cases(name)
        #expect(cases.count > 30)
        var failures = 0
        for (input, expected) in cases {
            let ids = input.withUnsafeBufferPointer { tokenizer.tokenize(bytes: $0) }
            if ids != expected {
                failures += 1
                Issue.record("\(name): \(String(decoding: input, as: UTF8.self).debugDescription) → \(ids), llama.cpp \(expected)")
            }
        }
        print("vocab \(name): \(cases.count - failures)/\(cases.count) cases equal to llama.cpp")
    }

    @Test(.enabled(if: fixturesPresent)) func llamaSPM() throws { try check("llama-spm") }
    @Test(.enabled(if: fixturesPresent)) func llamaBPE() throws { try check("llama-bpe") }
    @Test(.enabled(if: fixturesPresent)) func qwen2() throws { try check("qwen2") }
    @Test(.enabled(if: fixturesPresent)) func gpt2() throws { try check("gpt-2") }
}
