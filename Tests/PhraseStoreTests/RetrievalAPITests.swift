import Foundation
import Testing
@testable import PhraseStore

/// The read/write calls the retrieval side uses.
@Suite struct RetrievalAPITests {
    @Test func noisyPairsTelephonyLookupAndVectorIDs() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try PhraseStore(path: directory.appendingPathComponent("s.sqlite").path)
        let csv = directory.appendingPathComponent("pairs.csv")
        try TestSupport.write("""
            file,whisper_text,correct_text
            a.wav, Luftheancer 5318 contact Zurich 134.6,lufthansa five three one eight contact zurich one three four decimal six
            b.wav,Lufthansa 5318 contact Zurich 134.6,lufthansa five three one eight contact zurich one three four decimal six
            c.wav,Lufthansa 5318 contact Zurich 134.6,lufthansa five three one eight contact zurich one three four decimal six
            """, to: csv)
        _ = try store.importCSV(at: csv, corpus: TestSupport.corpus)
        let id = try #require(try store.search("lufthansa 5318", limit: 1).first?.phraseID)
        let pairs = try store.noisyPairs(forPhraseIDs: [id])
        #expect(pairs.count == 2)
        #expect(pairs[0].hypothesisCanonical == "lufthansa 5 3 1 8 contact zurich 1 3 4 decimal 6" && pairs[0].occurrences == 2)
        #expect(pairs[1].hypothesis == "Luftheancer 5318 contact Zurich 134.6" && pairs[1].occurrences == 1)

        #expect(try store.airlines(matchingTelephony: "fthans").contains { $0.icao == "DLH" })
        #expect(try store.airlines(matchingTelephony: "peed bir").map(\.icao) == ["BAW"])
        #expect(try store.airlines(matchingTelephony: "lu").isEmpty)

        try store.setVectorIDs([(id, 42)])
        #expect(try store.statistics().phrasesWithVectors == 1)
        do {
            try store.setVectorIDs([(id, 43), (999_999, 44)])
            Issue.record("unknown phrase id accepted")
        } catch {
            #expect(error.message.contains("999999"))
        }
        // The failed call changed nothing: the first assignment was rolled back too.
        let vectorID = try store.read { db in try Int64.fetchOne(db, sql: "SELECT vector_id FROM phrase WHERE id = ?", arguments: [id]) }
        #expect(vectorID == 42)
    }
}
