import Foundation
import Testing

/// Version, help, option validation and exit codes, run through the binary.
@Suite(.enabled(if: CLI.available, CLI.missingMessage)) struct CLISurfaceTests {
    /// Every command path a user can run.
    static let commands: [[String]] = [
        [], ["correct"], ["batch"], ["retrieve"], ["wer"],
        ["index"], ["index", "build"], ["index", "check"], ["index", "evaluate"], ["index", "embed"],
        ["corpus"], ["corpus", "import"], ["corpus", "stats"], ["corpus", "search"], ["corpus", "callsigns"],
        ["model"], ["model", "info"], ["model", "tokenize"], ["model", "run"], ["model", "embed"], ["model", "bench"],
        ["vectors"], ["vectors", "info"], ["vectors", "bench"], ["vectors", "generate"],
    ]

    @Test func versionComesFromTheOneVersionFile() throws {
        let source = try String(contentsOf: CLI.checkout.appendingPathComponent("Sources/atcfix/ATCFixVersion.swift"), encoding: .utf8)
        let literal = try #require(source.firstMatch(of: /static let current = "([^"]+)"/)).1
        let result = try CLI.run(["--version"])
        #expect(result.status == 0)
        #expect(result.out.trimmingCharacters(in: .whitespacesAndNewlines) == String(literal))
    }

    @Test(arguments: commands) func everyHelpHasExamplesAndExitCodes(_ path: [String]) throws {
        let result = try CLI.run(path + ["--help"])
        #expect(result.status == 0)
        #expect(result.out.contains("Examples:\n  atcfix"), "\(path) --help has no Examples section")
        #expect(result.out.contains("Exit status: 0 ok; 1 runtime error"), "\(path) --help does not document the exit codes")
        #expect(result.out.contains("64 usage"))
    }

    /// Bad values: exit 64 before any work, naming the flag, the allowed range and the value.
    @Test(arguments: [
        (["index", "build", "--generated=-5"], "--generated must be between 1 and 1000000 (got -5)"),
        (["index", "build", "--threads", "0"], "--threads must be between 1 and 256 (got 0)"),
        (["retrieve", "--k=-1", "x"], "--k must be between 1 and 64 (got -1)"),
        (["vectors", "bench", "--base", "b", "--queries", "q", "--dim", "4", "--k", "0"], "--k must be between 1 and 1000 (got 0)"),
        (["model", "run", "M.gguf", "--prompt", "p", "--top-p", "7"], "--top-p must be between 0.0 and 1.0 (got 7.0)"),
        (["model", "run", "M.gguf", "--prompt", "p", "--temperature=-1"], "--temperature must be between 0.0 and 10.0 (got -1.0)"),
        (["model", "run", "M.gguf", "--prompt", "p", "--ctx-size", "100000000"], "--ctx-size must be between 16 and 131072 (got 100000000)"),
        (["model", "run", "M.gguf", "--prompt", "p", "--max-tokens", "0"], "--max-tokens must be between 1 and 32768 (got 0)"),
        (["model", "bench", "M.gguf", "--gen-tokens", "0"], "--gen-tokens must be between 1 and 32768 (got 0)"),
        (["corpus", "import", "--db", "x.sqlite", "--corpus", "default", "--size", "0"], "--size must be between 1 and 1000000 (got 0)"),
        (["corpus", "search", "--db", "x.sqlite", "--k", "0", "a"], "--k must be between 1 and 1000 (got 0)"),
        (["vectors", "generate", "--count", "0", "--dim", "4", "--out", "o"], "--count must be between 1 and 10000000 (got 0)"),
    ])
    func outOfRangeValuesAreUsageErrors(_ arguments: [String], _ message: String) throws {
        let directory = try CLI.scratch("usage")
        let result = try CLI.run(arguments + (arguments.starts(with: ["index", "build"]) ? ["--out", directory.appendingPathComponent("idx").path] : []),
                                 in: directory)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        // Nothing was created: no index directory, no database, no output.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func anUnknownFlagIsAUsageError() throws {
        let result = try CLI.run(["wer", "--in", "x.csv", "--no-such-flag"])
        #expect(result.status == 64)
    }

    @Test func oneFlagPerConcept() throws {
        // The old spellings are gone; the shared ones work.
        #expect(try CLI.run(["wer", "--in", "x.csv", "--ref", "a"]).status == 64)
        #expect(try CLI.run(["index", "embed", "--input", "a", "--output", "b"]).status == 64)
        #expect(try CLI.run(["model", "run", "M.gguf", "--prompt", "p", "--context", "10"]).status == 64)
        let help = try CLI.run(["wer", "--help"]).out
        #expect(help.contains("--ref-column") && help.contains("--text-column"))
        #expect(try CLI.run(["model", "run", "--help"]).out.contains("--ctx-size"))
        #expect(try CLI.run(["retrieve", "--help"]).out.contains("--k <k>"))
        let correctHelp = try CLI.run(["correct", "--help"]).out
        #expect(correctHelp.contains("--k <k>") && !correctHelp.contains("--exemplars"))
        #expect(try CLI.run(["corpus", "search", "--help"]).out.contains("--text-column"))
    }

    @Test func aMissingInputFileIsBadInputAndSaidPlainly() throws {
        let directory = try CLI.scratch("missing")
        let result = try CLI.run(["wer", "--in", "nope.csv"], in: directory)
        #expect(result.status == 2)
        #expect(result.stderr.contains("nope.csv") && result.stderr.contains("no such file"))
        #expect(!result.stderr.contains("NSCocoaErrorDomain") && !result.stderr.contains("Error Domain"))
    }

    @Test func aDirectoryAsInputSaysSo() throws {
        let directory = try CLI.scratch("dir")
        let result = try CLI.run(["index", "embed", "--in", directory.path, "--out", directory.appendingPathComponent("o.f32").path,
                                  "--model", "/dev/null"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("is a directory"))
        #expect(!result.stderr.contains("NSCocoaErrorDomain") && !result.stderr.contains("error 256"))
        // The path is printed once.
        #expect(result.stderr.components(separatedBy: directory.path).count == 2, "\(result.stderr)")
    }

    @Test func aDirectoryAsContextFileSaysSo() throws {
        let index = try CLI.smallIndex(phrases: 100)
        let result = try CLI.run(["correct", "--index", index.path, "--llm", "none", "--context", index.path, "hello"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("is a directory") && !result.stderr.contains("NSCocoaErrorDomain"), "\(result.stderr)")
    }
}
