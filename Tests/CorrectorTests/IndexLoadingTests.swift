import Foundation
import PhraseStore
import Testing
@testable import Corrector

@Suite struct IndexLoadingTests {
    private func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("atcfix-index-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func missingIndexSaysHowToBuildOne() throws {
        let empty = try directory()
        #expect { _ = try ChannelModel.load(indexDirectory: empty) } throws: { error in
            "\(error)".contains("atcfix index build") && "\(error)".contains(empty.path)
        }
        // Loading must not have created a database as a side effect.
        #expect(!FileManager.default.fileExists(atPath: ChannelModel.phraseDatabase(in: empty).path))
    }

    @Test func emptyDatabaseIsRefused() throws {
        let index = try directory()
        _ = try PhraseStore(path: ChannelModel.phraseDatabase(in: index).path)
        #expect { _ = try ChannelModel.load(indexDirectory: index) } throws: { error in
            "\(error)".contains("empty")
        }
    }
}
