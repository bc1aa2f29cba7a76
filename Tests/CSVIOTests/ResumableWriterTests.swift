import Foundation
import Testing
@testable import CSVIO

@Suite struct ResumableWriterTests {
    private func scratch() -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("atcfix-resume-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("out.csv")
    }

    private func records(_ url: URL) throws -> [[String]] {
        let reader = try CSVReader(url: url)
        var rows = [reader.header]
        while let record = try reader.next() { rows.append(record.fields) }
        return rows
    }

    @Test func resumeCarriesOverCheckpointedRecordsInOrder() throws {
        let out = scratch()
        do {
            let writer = try CSVWriter.resumable(url: out, header: ["id", "text"], resume: false)
            try writer.write(["1", "a, with comma"])
            try writer.write(["2", "b\nnewline"])
            try writer.checkpoint()
            // Dropped without finish(): an interrupted run.
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
        var recovered: [[String]] = []
        let writer = try CSVWriter.resumable(url: out, header: ["id", "text"], resume: true) { recovered.append($0) }
        #expect(recovered == [["1", "a, with comma"], ["2", "b\nnewline"]])
        try writer.write(["3", "c"])
        try writer.finish()
        #expect(try records(out) == [["id", "text"], ["1", "a, with comma"], ["2", "b\nnewline"], ["3", "c"]])
        #expect(!FileManager.default.fileExists(atPath: CSVWriter.checkpointURL(for: out).path))
    }

    @Test func tornLastRecordIsDropped() throws {
        let out = scratch()
        let checkpoint = CSVWriter.checkpointURL(for: out)
        // A crash cut the third record short: it parses, but has no final newline.
        try Data("id,text\n1,a\n2,b\n3,tru".utf8).write(to: checkpoint)
        var recovered: [[String]] = []
        let writer = try CSVWriter.resumable(url: out, header: ["id", "text"], resume: true) { recovered.append($0) }
        #expect(recovered == [["1", "a"], ["2", "b"]])
        try writer.finish()
        // And a cut inside a quoted field is an unterminated quote: dropped too.
        try Data("id,text\n1,a\n2,\"b, cut".utf8).write(to: checkpoint)
        recovered = []
        _ = try CSVWriter.resumable(url: out, header: ["id", "text"], resume: true) { recovered.append($0) }
        #expect(recovered == [["1", "a"]])
    }

    @Test func withoutResumeAnOldCheckpointIsReplaced() throws {
        let out = scratch()
        try Data("id,text\n1,a\n".utf8).write(to: CSVWriter.checkpointURL(for: out))
        var recovered: [[String]] = []
        let writer = try CSVWriter.resumable(url: out, header: ["id", "text"], resume: false) { recovered.append($0) }
        try writer.finish()
        #expect(recovered.isEmpty)
        #expect(try records(out) == [["id", "text"]])
    }

    @Test func checkpointWithOtherColumnsIsRefused() throws {
        let out = scratch()
        try Data("a,b,c\n1,2,3\n".utf8).write(to: CSVWriter.checkpointURL(for: out))
        #expect(throws: CSVError.self) {
            _ = try CSVWriter.resumable(url: out, header: ["id", "text"], resume: true)
        }
        // The refused run leaves nothing but the old checkpoint behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path)
        #expect(leftovers == [".out.csv.partial"])
    }
}
