import Foundation
@testable import PhraseStore

/// Paths and helpers shared by the PhraseStore tests.
enum TestSupport {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shared corpora: `$ATCFIX_CORPORA`, else `<package root>/../shared/corpora`.
    static let sharedCorpora: URL = {
        if let path = ProcessInfo.processInfo.environment["ATCFIX_CORPORA"], !path.isEmpty {
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpora", isDirectory: true)
    }()

    static let atcosimTest = sharedCorpora.appendingPathComponent("atcosim/test.whisper-small.csv")
    static let atcosimTrain = sharedCorpora.appendingPathComponent("atcosim/train.whisper-small.csv")

    /// True when the shared ATCOSIM files exist; tests that need them are disabled otherwise,
    /// and say so.
    static let hasSharedCorpora: Bool = {
        let present = FileManager.default.fileExists(atPath: atcosimTest.path)
        if !present {
            print("note: shared corpora not found at \(sharedCorpora.path); set ATCFIX_CORPORA — corpus-based PhraseStore tests are skipped")
        }
        return present
    }()

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The embedded corpus, loaded once.
    static let corpus: EmbeddedCorpus = {
        do {
            return try EmbeddedCorpus.load(from: packageRoot.appendingPathComponent("corpora"))
        } catch {
            fatalError("embedded corpus failed to load: \(error)")
        }
    }()

    /// A fresh directory for one test's files.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("phrasestore-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }
}
