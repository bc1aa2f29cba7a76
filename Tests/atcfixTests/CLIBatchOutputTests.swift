import CSVIO
import Foundation
import Testing

/// `batch` outputs: refused targets, streaming to stdout, failed rows and exit codes,
/// invalid UTF-8 reported in the row.
@Suite(.enabled(if: CLI.available, CLI.missingMessage)) struct CLIBatchOutputTests {
    static let engine = ["--llm", "none", "--retrieval", "lexical"]

    private func input(_ directory: URL, _ bytes: [UInt8]? = nil) throws -> URL {
        let url = directory.appendingPathComponent("in.csv")
        let text = "file,whisper_text,correct_text\na.wav,lufthansa four two one descent flight level one two zero,lufthansa four two one descend flight level one two zero\nb.wav,contact rhein,contact rhein\n"
        try Data(bytes ?? Array(text.utf8)).write(to: url)
        return url
    }

    @Test func refusesTheInputASymlinkAndADeviceUnlessForced() throws {
        let index = try CLI.smallIndex(phrases: 200)
        let directory = try CLI.scratch("targets")
        let input = try input(directory)
        let original = try Data(contentsOf: input)
        let common = ["batch", "--index", index.path] + Self.engine + ["--in", input.path]

        let same = try CLI.run(common + ["--out", input.path])
        #expect(same.status == 64 && same.stderr.contains("input file"), "\(same.stderr)")
        // The same file under another name (a hard link) is the input too.
        let hard = directory.appendingPathComponent("hard.csv")
        try FileManager.default.linkItem(at: input, to: hard)
        let linked = try CLI.run(common + ["--out", hard.path, "--force"])
        #expect(linked.status == 64 && linked.stderr.contains("input file"), "\(linked.stderr)")
        #expect(try Data(contentsOf: input) == original)

        let target = directory.appendingPathComponent("target.csv")
        try Data("keep me\n".utf8).write(to: target)
        let link = directory.appendingPathComponent("link.csv")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        let refused = try CLI.run(common + ["--out", link.path])
        #expect(refused.status == 64 && refused.stderr.contains("symbolic link"), "\(refused.stderr)")
        #expect(try String(contentsOf: target, encoding: .utf8) == "keep me\n")
        let forced = try CLI.run(common + ["--out", link.path, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == target.path)
        #expect(try String(contentsOf: target, encoding: .utf8).hasPrefix("file,whisper_text,correct_text,corrected_text,"))

        let device = try CLI.run(common + ["--out", "/dev/null"])
        #expect(device.status == 64 && device.stderr.contains("not a regular file"), "\(device.stderr)")
        #expect(try CLI.run(common + ["--out", "/dev/null", "--force"]).status == 0)
    }

    @Test func dashStreamsToStandardOutputAndMatchesTheFileOutput() throws {
        let index = try CLI.smallIndex(phrases: 200)
        let directory = try CLI.scratch("stdout")
        let input = try input(directory)
        let file = directory.appendingPathComponent("out.csv")
        let common = ["batch", "--index", index.path] + Self.engine + ["--in", input.path]
        #expect(try CLI.run(common + ["--out", file.path]).status == 0)
        let streamed = try CLI.run(common + ["--out", "-", "--json"])
        #expect(streamed.status == 0, "\(streamed.stderr)")
        #expect(streamed.stdout == (try Data(contentsOf: file)))
        #expect(streamed.stderr.contains("\"rows\":2"))
        #expect(try CLI.run(common + ["--out", "-", "--resume"]).status == 64)
    }

    @Test func failedRowsMakeTheExitStatusTwoUnlessAllowed() throws {
        let index = try CLI.smallIndex(phrases: 200)
        let directory = try CLI.scratch("fail")
        // Row b's transcript is Latin-1, not UTF-8; row c has a Latin-1 reference.
        let bytes = Array("file,whisper_text,correct_text\na,contact rhein,contact rhein\nb,caf".utf8) + [0xE9]
            + Array(",cafe\nc,contact rhein,caf".utf8) + [0xE9] + Array("\n".utf8)
        let input = try input(directory, bytes)
        let out = directory.appendingPathComponent("out.csv")
        let common = ["batch", "--index", index.path] + Self.engine + ["--in", input.path, "--out", out.path]
        let strict = try CLI.run(common)
        #expect(strict.status == 2, "\(strict.stderr)")
        #expect(strict.stderr.contains("2 of 3 rows failed") && strict.stderr.contains("--allow-failures"))
        let reader = try CSVReader(url: out)
        let error = try reader.column(named: "error")
        let rows = try [reader.next(), reader.next(), reader.next()].map { try #require($0) }
        #expect(rows[0][error] == "")
        #expect(rows[1][error].contains("invalid_utf8") && rows[1][error].contains("line 3"))
        #expect(rows[2][error].contains("invalid_utf8") && rows[2][error].contains("'correct_text'"))
        // The valid transcript of row c is still corrected.
        #expect(rows[2][try reader.column(named: "corrected_text")] == "contact rhein")
        #expect(try CLI.run(common + ["--allow-failures"]).status == 0)
    }

    @Test func anEarlierCompleteOutputSurvivesAFailedRun() throws {
        let index = try CLI.smallIndex(phrases: 200)
        let directory = try CLI.scratch("survive")
        let input = try input(directory)
        let out = directory.appendingPathComponent("out.csv")
        let common = ["batch", "--index", index.path] + Self.engine + ["--out", out.path]
        #expect(try CLI.run(common + ["--in", input.path]).status == 0)
        let complete = try Data(contentsOf: out)
        // A second run over an input that breaks half-way (a stray quote on line 3).
        let broken = directory.appendingPathComponent("broken.csv")
        try Data("file,whisper_text,correct_text\na,contact rhein,contact rhein\nb,con\"tact,x\n".utf8).write(to: broken)
        let failed = try CLI.run(common + ["--in", broken.path])
        #expect(failed.status == 2)
        #expect(failed.stderr.contains("broken.csv:3"))
        #expect(try Data(contentsOf: out) == complete)
    }
}
