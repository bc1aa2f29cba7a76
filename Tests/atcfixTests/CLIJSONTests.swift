import Foundation
import Testing

/// `--json` outputs: one compact snake_case object per line, scores to 4 decimals, the same
/// retrieval shape in `correct` and `retrieve`, the chosen candidate marked.
@Suite(.enabled(if: CLI.available, CLI.missingMessage)) struct CLIJSONTests {
    private func object(_ line: Substring) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    /// Every key at every depth, for the snake_case check.
    private func keys(_ value: Any) -> [String] {
        if let dictionary = value as? [String: Any] { return dictionary.keys + dictionary.values.flatMap(keys) }
        if let array = value as? [Any] { return array.flatMap(keys) }
        return []
    }

    /// Every number at every depth under a key named `score`.
    private func scores(_ value: Any) -> [Double] {
        if let dictionary = value as? [String: Any] {
            return dictionary.flatMap { key, value in (key == "score" ? [value as? Double].compactMap { $0 } : []) + scores(value) }
        }
        if let array = value as? [Any] { return array.flatMap(scores) }
        return []
    }

    @Test func correctAndRetrieveShareOneShape() throws {
        let index = try CLI.smallIndex(phrases: 300)
        let lines = "lufthansa four two one descend flight level one two zero\nswiss one two three contact zurich\n"
        let correct = try CLI.run(["correct", "--index", index.path, "--llm", "none", "--retrieval", "lexical", "--json"],
                                  stdin: Data(lines.utf8))
        #expect(correct.status == 0, "\(correct.stderr)")
        let correctLines = correct.out.split(separator: "\n")
        #expect(correctLines.count == 2)
        for line in correctLines {
            #expect(!line.contains("\n") && !line.contains("  "))  // compact
            let json = try object(line)
            for key in keys(json) { #expect(key == key.lowercased() && !key.contains("-"), "key \(key) is not snake_case") }
            let retrieval = try #require(json["retrieval"] as? [String: Any])
            #expect(retrieval["exemplars"] != nil && retrieval["hits"] == nil)
            let candidates = try #require(json["candidates"] as? [[String: Any]])
            let chosen = candidates.filter { $0["chosen"] as? Bool == true }
            #expect(chosen.count == (candidates.isEmpty ? 0 : 1))
            if let first = chosen.first { #expect(first["text"] as? String == json["corrected"] as? String) }
            for score in scores(json) { #expect(abs(score * 10_000 - (score * 10_000).rounded()) < 1e-6, "score \(score) has more than 4 decimals") }
        }
        let retrieve = try CLI.run(["retrieve", "--index", index.path, "--retrieval", "lexical", "--json"], stdin: Data(lines.utf8))
        #expect(retrieve.status == 0, "\(retrieve.stderr)")
        for (line, correctLine) in zip(retrieve.out.split(separator: "\n"), correctLines) {
            let json = try object(line)
            #expect(Set(json.keys).isSuperset(of: ["exemplars", "callsigns", "pairs"]) && json["hits"] == nil)
            // The same retrieval as correct reports for the same line (correct retrieves 5 too).
            let fromCorrect = try #require(try object(correctLine)["retrieval"] as? [String: Any])
            let texts = { (x: [String: Any]) in (x["exemplars"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String } }
            #expect(texts(json) == texts(fromCorrect))
        }
    }

    @Test func invalidUTF8OnStandardInputIsReported() throws {
        let index = try CLI.smallIndex(phrases: 200)
        let input = Data(Array("contact rhein\ncaf".utf8) + [0xE9] + Array("\n".utf8))
        let result = try CLI.run(["correct", "--index", index.path, "--llm", "none", "--retrieval", "lexical", "--json"], stdin: input)
        #expect(result.status == 2)
        #expect(result.stderr.contains("line 2 is not valid UTF-8"))
        let lines = result.out.split(separator: "\n")
        #expect(lines.count == 2)
        let notes = try #require(try object(lines[1])["notes"] as? [String])
        #expect(notes.contains { $0.hasPrefix("invalid_utf8") })
    }
}
