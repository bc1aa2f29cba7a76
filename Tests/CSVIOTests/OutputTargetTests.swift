import Foundation
import Testing
@testable import CSVIO

/// Where outputs may go: new and regular files atomically, `-` to stdout; never the input or
/// a directory; links and devices only with force.
@Suite struct OutputTargetTests {
    @Test func regularAndNewFilesAreWrittenAtomically() throws {
        let scratch = try ScratchDirectory()
        let existing = try scratch.file("old.csv", "a\n")
        #expect(try OutputTarget.check(existing.path) == .file(existing.standardizedFileURL))
        let new = scratch.url.appendingPathComponent("new.csv")
        #expect(try OutputTarget.check(new.path) == .file(new.standardizedFileURL))
        #expect(try OutputTarget.check("-") == .standardOutput)
        #expect(try OutputTarget.check("-").isStreamed)
    }

    private func refusal(_ body: () throws(CSVError) -> OutputTarget) -> String? {
        do {
            _ = try body()
            return nil
        } catch {
            guard case .refused(let reason) = error.kind else { return "wrong kind \(error.kind)" }
            return reason
        }
    }

    @Test func theInputIsRefusedByPathAndByInode() throws {
        let scratch = try ScratchDirectory()
        let input = try scratch.file("in.csv", "a\n")
        #expect(refusal { () throws(CSVError) in try OutputTarget.check(input.path, inputs: [input.path], force: true) }?.contains("input") == true)
        // The same path spelled differently.
        let spelled = scratch.url.path + "/./in.csv"
        #expect(refusal { () throws(CSVError) in try OutputTarget.check(spelled, inputs: [input.path]) }?.contains("input") == true)
        let hard = scratch.url.appendingPathComponent("hard.csv")
        try FileManager.default.linkItem(at: input, to: hard)
        #expect(refusal { () throws(CSVError) in try OutputTarget.check(hard.path, inputs: [input.path], force: true) }?.contains("input") == true)
    }

    @Test func linksAndDevicesNeedForce() throws {
        let scratch = try ScratchDirectory()
        let target = try scratch.file("target.csv", "a\n")
        let link = scratch.url.appendingPathComponent("link.csv")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        #expect(refusal { () throws(CSVError) in try OutputTarget.check(link.path) }?.contains("symbolic link") == true)
        #expect(try OutputTarget.check(link.path, force: true) == .file(target.resolvingSymlinksInPath()))
        #expect(refusal { () throws(CSVError) in try OutputTarget.check("/dev/null") }?.contains("not a regular file") == true)
        #expect(try OutputTarget.check("/dev/null", force: true) == .stream("/dev/null"))
        // A link to the input is the input, forced or not.
        let input = try scratch.file("in.csv", "a\n")
        let toInput = scratch.url.appendingPathComponent("to-input.csv")
        try FileManager.default.createSymbolicLink(at: toInput, withDestinationURL: input)
        #expect(refusal { () throws(CSVError) in try OutputTarget.check(toInput.path, inputs: [input.path], force: true) }?.contains("input") == true)
    }

    @Test func directoriesAndMissingFoldersAreRefused() throws {
        let scratch = try ScratchDirectory()
        #expect(refusal { () throws(CSVError) in try OutputTarget.check(scratch.url.path, force: true) }?.contains("directory") == true)
        let missing = scratch.url.appendingPathComponent("no/such/dir/out.csv").path
        #expect(refusal { () throws(CSVError) in try OutputTarget.check(missing) }?.contains("does not exist") == true)
    }

    @Test func streamingWriterWritesStraightThrough() throws {
        let scratch = try ScratchDirectory()
        let fifoLike = try scratch.file("direct.csv", "")
        let writer = try CSVWriter.streaming(to: fifoLike.path, header: ["a", "b"])
        try writer.write(["1", "x,y"])
        try writer.flush()
        // Visible before finish: no temporary file, no rename.
        #expect(try String(contentsOf: fifoLike, encoding: .utf8) == "a,b\n1,\"x,y\"\n")
        try writer.finish()
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == ["direct.csv"])
    }
}
