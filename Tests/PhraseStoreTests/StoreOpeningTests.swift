import Foundation
import GRDB
import Testing
@testable import PhraseStore

/// Opening a store: read-only opens write nothing; files that are not (sound) databases get
/// errors naming the file and the rebuild command; the integrity check.
@Suite struct StoreOpeningTests {
    private func builtStore() throws -> URL {
        let directory = try TestSupport.temporaryDirectory()
        let url = directory.appendingPathComponent("phrases.sqlite")
        let store = try PhraseStore(path: url.path)
        _ = try store.importEmbedded(TestSupport.corpus, count: 300)
        return url
    }

    private func modificationDate(_ url: URL) throws -> Date {
        try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as! Date
    }

    @Test func readOnlyOpenChangesNoByteAndRefusesWrites() throws {
        let url = try builtStore()
        let bytes = try Data(contentsOf: url)
        let date = try modificationDate(url)
        let store = try PhraseStore(path: url.path, mode: .readOnly)
        #expect(store.mode == .readOnly)
        #expect(try store.statistics().phrases > 0)
        #expect(try store.integrityProblems().isEmpty)
        #expect(throws: PhraseStoreError.self) { try store.setIndexMetadata(["k": [1]]) }
        #expect(try Data(contentsOf: url) == bytes)
        #expect(try modificationDate(url) == date)
    }

    @Test func readOnlyRefusesAMissingFileWithoutCreatingIt() throws {
        let url = try TestSupport.temporaryDirectory().appendingPathComponent("nothing.sqlite")
        #expect { _ = try PhraseStore(path: url.path, mode: .readOnly) } throws: { error in
            "\(error)".contains(url.path) && "\(error)".contains("atcfix index build --out")
        }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    @Test(arguments: [PhraseStore.OpenMode.readOnly, .readWrite])
    func aCSVIsNeverTurnedIntoADatabase(_ mode: PhraseStore.OpenMode) throws {
        let url = try TestSupport.temporaryDirectory().appendingPathComponent("empty.csv")
        let bytes = Data(String(repeating: "file,whisper_text\na.wav,hello\n", count: 30).utf8)
        try bytes.write(to: url)
        #expect { _ = try PhraseStore(path: url.path, mode: mode) } throws: { error in
            let text = "\(error)"
            return text.contains(url.path) && text.contains("not an SQLite database") && text.contains("atcfix index build")
        }
        #expect(try Data(contentsOf: url) == bytes)
    }

    @Test func aTruncatedDatabaseIsNamedWithTheRebuildCommand() throws {
        let url = try builtStore()
        let bytes = try Data(contentsOf: url)
        for length in [50, 600, bytes.count / 3] {
            try bytes.prefix(length).write(to: url)
            let outcome: String
            do {
                let store = try PhraseStore(path: url.path, mode: .readOnly)
                let problems = try store.integrityProblems()
                _ = try store.statistics()
                outcome = problems.isEmpty ? "opened and sound" : "problems: \(problems)"
            } catch {
                outcome = "\(error)"
            }
            // Either way the message names the file and the fix, never a bare SQLite code.
            if outcome != "opened and sound" {
                #expect(outcome.contains("atcfix index build") || outcome.contains("problems:"), "\(length) bytes: \(outcome)")
                #expect(!outcome.contains("SQLite error 26"))
            }
            #expect(outcome != "opened and sound", "a database cut to \(length) of \(bytes.count) bytes passed")
        }
    }

    @Test func integrityCheckFindsACorruptedPage() throws {
        let url = try builtStore()
        var bytes = try Data(contentsOf: url)
        let pageSize = Int(bytes[16]) << 8 | Int(bytes[17])
        #expect(bytes.count > 4 * pageSize)
        // Overwrite every page after the schema page, past its header bytes, with garbage.
        let pages = bytes.count / pageSize
        for page in 1..<pages {
            let start = page * pageSize + 8
            for i in start..<(start + pageSize / 2) { bytes[i] = UInt8(truncatingIfNeeded: i &* 31) }
        }
        try bytes.write(to: url)
        let outcome: [String]
        do {
            outcome = try PhraseStore(path: url.path, mode: .readOnly).integrityProblems()
        } catch {
            outcome = ["\(error)"]
        }
        #expect(!outcome.isEmpty)
    }
}

/// Which importer a corpus argument goes to, and the test-split guard, decided once.
@Suite struct CorpusSourceTests {
    @Test func kindByArgument() {
        #expect(CorpusSource(argument: "default") == .embedded)
        #expect(CorpusSource(argument: "a/train.CSV") == .csv(URL(fileURLWithPath: "a/train.CSV")))
        #expect(CorpusSource(argument: "phrases.txt") == .text(URL(fileURLWithPath: "phrases.txt")))
        #expect(CorpusSource(argument: "defaults") == .text(URL(fileURLWithPath: "defaults")))
    }

    @Test func testSplitsAreRecognised() {
        for path in ["test.csv", "atcosim/test.whisper-small.csv", "x.test.csv", "dev_test.csv", "a-test.txt", "corpora/test/x.csv", "TESTS/a.csv"] {
            #expect(CorpusSource(argument: path).looksLikeTestSplit, "\(path)")
        }
        for path in ["default", "train.csv", "atcosim/train.whisper-small.csv", "contest.csv", "latest.txt"] {
            #expect(!CorpusSource(argument: path).looksLikeTestSplit, "\(path)")
        }
    }

    @Test func importRefusesATestSplitAndAWrongColumnBeforeWriting() throws {
        let directory = try TestSupport.temporaryDirectory()
        let test = directory.appendingPathComponent("test.csv")
        try Data("correct_text\nhello\n".utf8).write(to: test)
        let store = try PhraseStore(path: directory.appendingPathComponent("p.sqlite").path)
        #expect { _ = try store.importCorpus(.csv(test), corpus: TestSupport.corpus) } throws: { "\($0)".contains("test split") }
        let train = directory.appendingPathComponent("train.csv")
        try Data("correct_text,whisper_text\nhello,helo\n".utf8).write(to: train)
        #expect { _ = try store.importCorpus(.csv(train), referenceColumn: "nope", corpus: TestSupport.corpus) } throws: {
            "\($0)".contains("nope")
        }
        #expect(try store.statistics().phrases == 0)
        // The automatic hypothesis column finds whisper_text and makes a noisy pair.
        let report = try store.importCorpus(.csv(train), corpus: TestSupport.corpus)
        #expect(report.noisyPairs == 1)
        #expect(try PhraseStore.checkColumns(of: train, hypothesisColumn: .none) == nil)
        #expect(try PhraseStore.checkColumns(of: train) == "whisper_text")
    }
}
