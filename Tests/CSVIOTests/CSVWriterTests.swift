import Foundation
import Testing
@testable import CSVIO

@Suite struct CSVWriterTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        ("cr\r", "\"cr\r\""),
        ("", ""),
        (" zürich ", " zürich "),
    ])
    func encodesFieldsOnlyWhenNeeded(field: String, expected: String) {
        #expect(CSVWriter.encodedField(field) == expected)
    }

    @Test func writesExactBytesAndRoundTrips() throws {
        let scratch = try ScratchDirectory()
        let target = scratch.url.appendingPathComponent("out.csv")
        let rows = [["a.wav", "Contact Milan, goodbye.", "say \"again\""], ["b.wav", "two\nlines", "ß"]]
        let writer = try CSVWriter(url: target, header: ["file", "whisper_text", "correct_text"])
        for row in rows { try writer.write(row) }
        #expect(!FileManager.default.fileExists(atPath: target.path))  // nothing visible before finish
        try writer.finish()
        let written = try String(contentsOf: target, encoding: .utf8)
        #expect(written == "file,whisper_text,correct_text\n"
            + "a.wav,\"Contact Milan, goodbye.\",\"say \"\"again\"\"\"\n"
            + "b.wav,\"two\nlines\",ß\n")
        let (header, records) = try readAll(target)
        #expect(header == ["file", "whisper_text", "correct_text"])
        #expect(records.map(\.fields) == rows)
        // Only the target is left in the directory: the temporary file was renamed.
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == ["out.csv"])
    }

    @Test func abandonedWriterLeavesTargetUntouched() throws {
        let scratch = try ScratchDirectory()
        let target = try scratch.file("keep.csv", "old,content\n")
        do {
            let writer = try CSVWriter(url: target, header: ["new"])
            try writer.write(["row"])
        }  // dropped without finish()
        #expect(try String(contentsOf: target, encoding: .utf8) == "old,content\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == ["keep.csv"])
    }

    @Test func finishReplacesExistingFile() throws {
        let scratch = try ScratchDirectory()
        let target = try scratch.file("replace.csv", "old\n")
        let writer = try CSVWriter(url: target, header: ["new"])
        try writer.write(["1"])
        try writer.finish()
        #expect(try String(contentsOf: target, encoding: .utf8) == "new\n1\n")
    }

    @Test func wrongFieldCountIsRejected() throws {
        let scratch = try ScratchDirectory()
        let writer = try CSVWriter(url: scratch.url.appendingPathComponent("w.csv"), header: ["a", "b"])
        let error = csvError { try writer.write(["only one"]) }
        #expect(error?.kind == .wrongFieldCount(expected: 2, found: 1))
    }

    @Test func unwritableDirectoryIsAClearError() throws {
        let target = URL(fileURLWithPath: "/nonexistent-dir-\(UUID().uuidString)/out.csv")
        let error = csvError { _ = try CSVWriter(url: target, header: ["a"]) }
        guard case .cannotWrite = error?.kind else {
            Issue.record("expected cannotWrite, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains("out.csv") == true)
    }
}
