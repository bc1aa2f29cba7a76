import Foundation
import Support
import Testing

/// The evaluation harnesses (`vectors bench`, `index evaluate`, `model bench`) on inputs small
/// enough that the right answer is known without them.
@Suite(.enabled(if: CLI.available, CLI.missingMessage)) struct HarnessCommandTests {
    private func json(_ result: CLI.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], "\(result.out) \(result.stderr)")
    }

    /// Little-endian f32 rows.
    private func write(_ rows: [[Float]], to url: URL) throws {
        var data = Data()
        for row in rows { for x in row { withUnsafeBytes(of: x.bitPattern.littleEndian) { data.append(contentsOf: $0) } } }
        try data.write(to: url)
    }

    @Test func vectorsBenchRecallMatchesBruteForce() throws {
        let directory = try CLI.scratch("vbench")
        var random = SplitMix64(seed: 7)
        let dimension = 8
        let base = (0..<60).map { _ in (0..<dimension).map { _ in Float.random(in: -1...1, using: &random) } }
        let queries = (0..<10).map { _ in (0..<dimension).map { _ in Float.random(in: -1...1, using: &random) } }
        let baseURL = directory.appendingPathComponent("base.f32"), queryURL = directory.appendingPathComponent("q.f32")
        try write(base, to: baseURL)
        try write(queries, to: queryURL)
        let result = try CLI.run(["vectors", "bench", "--base", baseURL.path, "--queries", queryURL.path, "--dim", "8",
                                  "--k", "5", "--metric", "l2", "--ef", "100", "--repeats", "1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try json(result)
        #expect(report["n"] as? Int == 60 && report["queries"] as? Int == 10 && report["k"] as? Int == 5 && report["dim"] as? Int == 8)
        // With efSearch above the number of vectors the search visits every node: it must
        // return exactly the brute-force neighbours, so recall@5 is 1.
        let rows = try #require(report["results"] as? [[String: Any]])
        #expect(rows.count == 1 && rows[0]["ef"] as? Int == 100)
        #expect(rows[0]["recall"] as? Double == 1.0)
        // The brute-force truth itself, computed here, has no ties at rank 5 (else recall could differ).
        for query in queries {
            let distances = base.map { row in zip(row, query).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) }.sorted()
            #expect(distances[4] < distances[5])
        }
    }

    @Test func vectorsBenchRefusesARaggedFile() throws {
        let directory = try CLI.scratch("ragged")
        let url = directory.appendingPathComponent("base.f32")
        try Data(count: 4 * 8 + 3).write(to: url)
        let result = try CLI.run(["vectors", "bench", "--base", url.path, "--queries", url.path, "--dim", "8"])
        #expect(result.status != 0 && result.status != 64)
        #expect(result.stderr.contains("not a whole number of 8-dim f32 rows"))
    }

    @Test func indexEvaluateFindsExactQueriesAtRankOne() throws {
        let directory = try CLI.scratch("evaluate")
        let phrases = [
            "lufthansa four two one descend flight level one two zero",
            "swiss one two three contact zurich radar one three four decimal six",
            "air malta five six turn left heading two seven zero",
            "speedbird two nine squawk seven four three one",
            "alitalia eight eight climb to flight level three five zero",
        ]
        let train = directory.appendingPathComponent("phrases.csv")
        try Data(("correct_text\n" + phrases.joined(separator: "\n") + "\n").utf8).write(to: train)
        let index = directory.appendingPathComponent("index")
        try FileManager.default.createDirectory(at: index, withIntermediateDirectories: true)
        let imported = try CLI.run(["corpus", "import", "--db", index.appendingPathComponent("phrases.sqlite").path, "--corpus", train.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        // Five queries equal to an indexed reference, one whose reference is not indexed.
        let rows = phrases.map { "\($0),\($0)" } + ["hello there,general kenobi"]
        let test = directory.appendingPathComponent("eval.csv")
        try Data(("whisper_text,correct_text\n" + rows.joined(separator: "\n") + "\n").utf8).write(to: test)
        let result = try CLI.run(["index", "evaluate", "--index", index.path, "--test", test.path, "--modes", "lexical", "--k", "5"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.out.contains("6 rows, 5 with the reference indexed verbatim"), "\(result.out)")
        #expect(result.out.contains("lexical: exact-reference recall @1 1.000  @5 1.000 (n=5)"), "\(result.out)")
    }

    @Test(.enabled(if: CLI.model != nil, "the default model is not in models/")) func modelBenchReportsTheTokensAskedFor() throws {
        let result = try CLI.run(["model", "bench", CLI.model!.path, "--prompt-tokens", "8", "--gen-tokens", "3",
                                  "--repetitions", "1", "--threads", "1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try json(result)
        #expect(report["prompt_tokens"] as? Int == 8 && report["gen_tokens"] as? Int == 3)
        #expect(report["threads"] as? Int == 1 && report["repetitions"] as? Int == 1)
        #expect((report["pp_tokens_per_s"] as? Double ?? 0) > 0 && (report["tg_tokens_per_s"] as? Double ?? 0) > 0)
        let text = try CLI.run(["model", "bench", CLI.model!.path, "--prompt-tokens", "8", "--gen-tokens", "3", "--repetitions", "1", "--threads", "1"])
        #expect(text.out.contains("(8-token prompt)") && text.out.contains("(3 tokens)"))
    }
}
