import CSVIO
import Foundation
import Support
import Testing

/// SIGKILL `atcfix batch` at seeded random moments and resume: the final output is
/// byte-identical to an uninterrupted run, no row is lost or duplicated, and an earlier
/// complete output is never replaced by a partial one. (scripts/reliability/kill-test.sh
/// runs the 20-kill version, and `index build` too.)
@Suite(.enabled(if: CLI.available, CLI.missingMessage), .serialized) struct BatchKillTests {
    /// `copies` × the shipped sample, each row with its own id: enough rows that a run lasts
    /// a few seconds in a debug build.
    static func input(in directory: URL, copies: Int) throws -> (url: URL, rows: Int) {
        let reader = try CSVReader(url: CLI.checkout.appendingPathComponent("corpora/sample.csv"))
        var rows: [[String]] = []
        while let record = try reader.next() { rows.append(record.fields) }
        let url = directory.appendingPathComponent("rows.csv")
        let writer = try CSVWriter(url: url, header: ["id"] + reader.header)
        for copy in 0..<copies {
            for (index, row) in rows.enumerated() { try writer.write(["\(copy)-\(index)"] + row) }
        }
        try writer.finish()
        return (url, copies * rows.count)
    }

    @Test func killedBatchesResumeToTheSameBytes() throws {
        let index = try CLI.smallIndex(phrases: 300)
        let directory = try CLI.scratch("kill")
        let (input, inputRows) = try Self.input(in: directory, copies: 8)
        let reference = directory.appendingPathComponent("reference.csv")
        let arguments = ["batch", "--index", index.path, "--llm", "none", "--retrieval", "lexical", "--in", input.path,
                         "--ref-column", "correct_text"]
        let start = Date()
        let clean = try CLI.run(arguments + ["--out", reference.path])
        let duration = Date().timeIntervalSince(start)
        #expect(clean.status == 0, "\(clean.stderr)")
        let expected = try Data(contentsOf: reference)
        let rowCount = try Self.ids(reference).count
        #expect(rowCount == inputRows)

        // An earlier complete output sits at the target the whole time.
        let out = directory.appendingPathComponent("out.csv")
        let earlier = Data("id,earlier\n1,complete\n".utf8)
        try earlier.write(to: out)
        // Seeded, so a failing schedule can be replayed.
        var random = SplitMix64(seed: 19)
        var kills = 0
        var resume = false
        var finished = false
        for _ in 0..<5 {
            let process = try CLI.makeProcess(arguments + ["--out", out.path] + (resume ? ["--resume"] : []))
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Between 10% and 60% of a whole run: early kills hit the engine's start-up, later
            // ones land among the rows.
            Thread.sleep(forTimeInterval: duration * Double.random(in: 0.1...0.6, using: &random))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                kills += 1
                #expect(process.terminationReason == .uncaughtSignal)
                #expect(try Data(contentsOf: out) == earlier, "a killed run replaced the earlier output")
                // The checkpoint holds whole rows, in order, each once.
                let checkpoint = CSVWriter.checkpointURL(for: out)
                if FileManager.default.fileExists(atPath: checkpoint.path) {
                    let ids = try Self.ids(checkpoint, tolerant: true)
                    #expect(ids == Array(try Self.ids(reference).prefix(ids.count)))
                }
            } else {
                process.waitUntilExit()
                finished = true
                break
            }
            resume = true
        }
        if !finished {
            let last = try CLI.run(arguments + ["--out", out.path, "--resume"])
            #expect(last.status == 0, "\(last.stderr)")
        }
        #expect(kills >= 3, "only \(kills) kills landed; the runs were too short to interrupt")
        #expect(try Data(contentsOf: out) == expected)
        #expect(try Self.ids(out).count == rowCount)
        #expect(!FileManager.default.fileExists(atPath: CSVWriter.checkpointURL(for: out).path))
    }

    /// The id column of a CSV; `tolerant` stops at a torn last record (a checkpoint mid-write).
    static func ids(_ url: URL, tolerant: Bool = false) throws -> [String] {
        let reader = try CSVReader(url: url)
        var ids: [String] = []
        while true {
            do {
                guard let record = try reader.next() else { break }
                ids.append(record[0])
            } catch {
                if tolerant { break }
                throw error
            }
        }
        return ids
    }
}
