import ATCText
import Foundation
import Testing
@testable import PhraseStore

/// The corpus compiled into the binary by the EmbeddedCorpusPlugin is corpora/ exactly, and
/// loads with the same content hash as the files themselves.
@Suite struct EmbeddedCorpusTests {
    static let corpora = TestSupport.packageRoot.appendingPathComponent("corpora")

    @Test func compiledInFilesAreTheCorporaFilesByteForByte() throws {
        let compiled = EmbeddedCorpus.compiledInFiles()
        #expect(Set(compiled.keys) == Set(EmbeddedCorpus.fileNames))
        for name in EmbeddedCorpus.fileNames {
            let onDisk = try #require(FileManager.default.contents(atPath: Self.corpora.appendingPathComponent(name).path))
            #expect(compiled[name] == Array(onDisk), "\(name) differs from corpora/\(name); rebuild")
            #expect(!onDisk.isEmpty)
        }
    }

    /// The hash covers each file's name (NUL-terminated) then its bytes, in `fileNames` order,
    /// whichever way the files are read — so an index built from the files before they were
    /// compiled in is not re-imported.
    @Test func contentHashIsTheSameForTheSameBytes() throws {
        var expected = ContentHash()
        for name in EmbeddedCorpus.fileNames {
            expected.update(Array(name.utf8) + [0])
            expected.update(try #require(FileManager.default.contents(atPath: Self.corpora.appendingPathComponent(name).path)))
        }
        let fromDirectory = try EmbeddedCorpus.load(from: Self.corpora)
        #expect(fromDirectory.contentHash == expected.hexDigest())
        guard EmbeddedCorpus.overrideDirectory() == nil else { return }   // ATCFIX_CORPUS_DIR set: load() reads it
        let compiled = try EmbeddedCorpus.load()
        #expect(compiled.contentHash == expected.hexDigest())
        #expect(compiled.airlines == fromDirectory.airlines)
        #expect(compiled.templates.count == fromDirectory.templates.count)
        #expect(compiled.facilities == fromDirectory.facilities && compiled.waypoints == fromDirectory.waypoints)
        #expect(compiled.airports == fromDirectory.airports)
        #expect(compiled.registrationPrefixes == fromDirectory.registrationPrefixes)
    }

    /// A directory given by ATCFIX_CORPUS_DIR that lacks a file says which and what to do.
    @Test func missingFileInADirectoryIsNamed() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = #expect(throws: PhraseStoreError.self) { _ = try EmbeddedCorpus.load(from: directory) }
        #expect(error?.description.contains("airlines.csv") == true)
        #expect(error?.description.contains("ATCFIX_CORPUS_DIR") == true)
    }

    /// The built atcfix binary, copied alone to a temporary directory and run from there with
    /// ATCFIX_CORPUS_DIR unset, still has its corpus. Where it can (root, util-linux), the run
    /// happens in a private mount namespace with an empty tmpfs over the source tree's
    /// corpora/, so the binary provably reads nothing from it; the mount is invisible outside
    /// that one process.
    @Test func aCopiedBinaryCarriesItsCorpus() throws {
        let built = TestSupport.packageRoot.appendingPathComponent(".build/debug/atcfix").resolvingSymlinksInPath()
        guard FileManager.default.isExecutableFile(atPath: built.path) else {
            print("EmbeddedCorpusTests: \(built.path) not built; skipping the copied-binary check")
            return
        }
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let copy = directory.appendingPathComponent("atcfix")
        try FileManager.default.copyItem(at: built, to: copy)
        let input = directory.appendingPathComponent("in.csv")
        try TestSupport.write("correct_text\nlufthansa four three nine three descend flight level two seven zero\n", to: input)
        let command = [copy.path, "corpus", "callsigns", "--in", input.path, "--all"]

        let unshare = "/usr/bin/unshare"
        var hidden = false
        var result = try Self.run(command, in: directory)
        if FileManager.default.isExecutableFile(atPath: unshare) {
            let script = #"mount -t tmpfs none "$1" || exit 97; [ -z "$(ls -A "$1")" ] || exit 98; shift; exec "$@""#
            let isolated = try Self.run(
                [unshare, "--mount", "--propagation", "private", "sh", "-c", script, "sh", Self.corpora.path] + command,
                in: directory)
            if isolated.status == 97 || isolated.output.contains("unshare:") {
                print("EmbeddedCorpusTests: cannot hide corpora/ here (needs root); ran the copy from another directory only")
            } else {
                hidden = true
                result = isolated
            }
        }
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("DLH4393"), "\(result.output)")
        if hidden { print("EmbeddedCorpusTests: the copied binary parsed callsigns with corpora/ hidden") }
    }

    static func run(_ command: [String], in directory: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["ATCFIX_CORPUS_DIR"] = nil
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }
}
