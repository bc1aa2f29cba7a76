import Foundation
import Testing
@testable import CSVIO

/// Plain reasons for unusable paths, from what is on disk.
@Suite struct FileProblemTests {
    @Test func reasons() throws {
        let scratch = try ScratchDirectory()
        let file = try scratch.file("a.txt", "x")
        #expect(FileProblem.reason(file.path) == nil)
        #expect(FileProblem.reason(scratch.url.appendingPathComponent("none").path) == "no such file")
        #expect(FileProblem.reason(scratch.url.path) == "is a directory")
        #expect(FileProblem.reason(scratch.url.appendingPathComponent("no/dir/x").path, writing: true)?.hasPrefix("its directory") == true)
        #expect(FileProblem.reason(scratch.url.appendingPathComponent("new.txt").path, writing: true) == nil)
        if getuid() != 0 {  // root reads everything
            try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: file.path)
            #expect(FileProblem.reason(file.path) == "permission denied")
        }
    }
}
