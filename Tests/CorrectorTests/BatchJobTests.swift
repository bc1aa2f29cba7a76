import CSVIO
import Foundation
import Testing
@testable import Corrector

/// A corrector that upper-cases nothing and fails on demand, so the batch's own behaviour
/// (order, columns, errors, resume) is what is tested.
private struct ScriptedCorrector: TranscriptCorrector {
    var failOn: String = "FAIL"
    func correct(_ transcript: String) throws -> Correction {
        if transcript.contains(failOn) { throw RowFailure(description: "scripted failure") }
        let tokens = transcript.split(separator: " ").map { $0 == "descent" ? "descend" : String($0) }
        return Correction(input: transcript, heard: tokens, corrected: tokens, readable: tokens.joined(separator: " "), notes: [])
    }
}

@Suite struct BatchJobTests {
    private func scratch(_ csv: [UInt8]) throws -> (input: URL, output: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("atcfix-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let input = directory.appendingPathComponent("in.csv")
        try Data(csv).write(to: input)
        return (input, directory.appendingPathComponent("out.csv"))
    }

    private func rows(_ url: URL) throws -> [[String]] {
        let reader = try CSVReader(url: url)
        var rows = [reader.header]
        while let record = try reader.next() { rows.append(record.fields) }
        return rows
    }

    @Test func keepsColumnsAndOrderAndAddsWER() throws {
        let (input, output) = try scratch(Array("""
            file,whisper_text,correct_text
            a.wav,lufthansa 1 descent,lufthansa one descend
            b.wav,"contact, rhein",contact rhein
            c.wav,FAIL here,x
            d.wav,,
            """.utf8))
        let job = BatchJob(input: input, output: output, referenceColumn: "correct_text", chunkSize: 3)
        let summary = try job.run(with: ScriptedCorrector())
        let out = try rows(output)
        #expect(out[0] == ["file", "whisper_text", "correct_text", "corrected_text", "wer_before", "wer_after", "error"])
        #expect(out.map { $0[0] } == ["file", "a.wav", "b.wav", "c.wav", "d.wav"])
        // Row a: reference "lufthansa 1 descend"; before has one substitution of 3 words.
        #expect(out[1][3...5] == ["lufthansa 1 descend", "0.3333", "0.0000"])
        #expect(out[3][3] == "" && out[3][6].contains("line 4") && out[3][6].contains("scripted failure"))
        // Empty transcript, empty reference: nothing to get wrong.
        #expect(out[4][3...6] == ["", "0.0000", "0.0000", ""])
        #expect(summary.rows == 4 && summary.failedRows == 1)
        // Corpus before: 1 error (a) + 0 (b) + 2 subs (c: "fail here" vs "x": 1 sub + 1 ins) = 3 / 6 words.
        #expect(summary.before?.total.referenceWords == 6)
        #expect(summary.before?.total.errors == 3)
    }

    @Test func invalidUTF8RowGetsAnErrorAndTheBatchGoesOn() throws {
        let (input, output) = try scratch(Array("file,whisper_text\na,ok\nb,".utf8) + [0xC3, 0x28] + Array("\nc,fine\n".utf8))
        let summary = try BatchJob(input: input, output: output).run(with: ScriptedCorrector())
        let out = try rows(output)
        #expect(out.map { $0[0] } == ["file", "a", "b", "c"])
        #expect(out[2][3].contains("not valid UTF-8"))
        #expect(out[3][2] == "fine")
        #expect(summary.failedRows == 1)
    }

    @Test func resumeDoesNotRedoCheckpointedRows() throws {
        let lines = (0..<10).map { "r\($0),word \($0)" }
        let (input, output) = try scratch(Array(("id,whisper_text\n" + lines.joined(separator: "\n") + "\n").utf8))
        // A first run that dies after its first chunk of 4 rows.
        struct Crash: Error {}
        let job = BatchJob(input: input, output: output, chunkSize: 4)
        #expect(throws: Crash.self) {
            _ = try job.run(with: ScriptedCorrector()) { done in if done >= 4 { throw Crash() } }
        }
        #expect(!FileManager.default.fileExists(atPath: output.path))
        // The resumed run must not see rows 0-3 again: make them fail if it does.
        struct Witness: TranscriptCorrector {
            func correct(_ transcript: String) throws -> Correction {
                let n = Int(transcript.split(separator: " ")[1])!
                if n < 4 { throw RowFailure(description: "row \(n) redone") }
                return try ScriptedCorrector().correct(transcript)
            }
        }
        var resumedJob = job
        resumedJob.resume = true
        let summary = try resumedJob.run(with: Witness())
        #expect(summary.resumedRows == 4 && summary.failedRows == 0 && summary.rows == 10)
        #expect(try rows(output).dropFirst().map { $0[0] } == (0..<10).map { "r\($0)" })
    }

    @Test func unwritableOutputFailsBeforeAnyWork() throws {
        let (input, _) = try scratch(Array("whisper_text\na\n".utf8))
        struct Never: TranscriptCorrector {
            func correct(_ transcript: String) throws -> Correction { Issue.record("corrected a row"); throw RowFailure(description: "") }
        }
        let job = BatchJob(input: input, output: URL(fileURLWithPath: "/nonexistent-dir/out.csv"))
        #expect(throws: CSVError.self) { _ = try job.run(with: Never()) }
    }

    @Test func missingTextColumnNamesIt() throws {
        let (input, output) = try scratch(Array("file,text\na,b\n".utf8))
        #expect { _ = try BatchJob(input: input, output: output).run(with: ScriptedCorrector()) } throws: { error in
            "\(error)".contains("whisper_text") && "\(error)".contains("text")
        }
    }
}
