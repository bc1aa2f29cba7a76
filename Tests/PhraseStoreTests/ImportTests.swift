import Foundation
import GRDB
import Testing
@testable import PhraseStore

/// Importers: merging by normal form, idempotence, replacement, and rollback on failure.
@Suite struct ImportTests {
    /// Row counts of every table, to compare a database before and after.
    static func snapshot(_ store: PhraseStore) throws -> [String: Int] {
        try store.read { db in
            var counts: [String: Int] = [:]
            for table in ["corpus", "phrase", "noisy_pair", "callsign", "airline"] {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)")!
            }
            counts["fts"] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM phrase_fts WHERE phrase_fts MATCH '\"ufth\"'")!
            return counts
        }
    }

    @Test func identicalNormalFormsAreMergedWithACount() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try PhraseStore(path: directory.appendingPathComponent("s.sqlite").path)
        let text = directory.appendingPathComponent("p.txt")
        try TestSupport.write("""
            Lufthansa 4393, descend FL270.
            lufthansa four three nine three descend flight level two seven zero

            contact rhein one three two decimal four
            """, to: text)
        let report = try store.importText(at: text, corpus: TestSupport.corpus)
        #expect(report.rowsRead == 3 && report.phrases == 2 && report.callsigns == 1)
        let rows = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT canonical, occurrences, callsign_designator, categories FROM phrase ORDER BY id")
        }
        #expect(rows.count == 2)
        #expect(rows[0]["canonical"] as String == "lufthansa 4 3 9 3 descend flight level 2 7 0")
        #expect(rows[0]["occurrences"] as Int == 2)
        #expect(rows[0]["callsign_designator"] as String? == "DLH4393")
        #expect((rows[0]["categories"] as String).split(separator: " ").contains("descend"))
        #expect(rows[1]["occurrences"] as Int == 1)
        #expect(rows[1]["callsign_designator"] as String? == nil)
        let flightNumbers = try store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.icao, c.flight_number, c.occurrences FROM callsign c JOIN airline a ON a.id = c.airline_id
                """)
        }
        #expect(flightNumbers.count == 1)
        #expect(flightNumbers[0]["icao"] as String == "DLH" && flightNumbers[0]["flight_number"] as String == "4393")
        #expect(flightNumbers[0]["occurrences"] as Int == 2)
    }

    @Test func reimportingTheSameCorpusChangesNothing() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try PhraseStore(path: directory.appendingPathComponent("s.sqlite").path)
        let csv = directory.appendingPathComponent("pairs.csv")
        try TestSupport.write("""
            file,whisper_text,correct_text
            a.wav, Luftheancer 5318 contact Zurich 134.6,lufthansa five three one eight contact zurich one three four decimal six
            b.wav," Besa 810, contact Zurich 133.4",psa eight one zero contact zurich one three three decimal four
            c.wav,Lufthansa 5318 contact Zurich 134.6,lufthansa five three one eight contact zurich one three four decimal six
            """, to: csv)
        let first = try store.importCSV(at: csv, corpus: TestSupport.corpus)
        #expect(!first.unchanged && first.phrases == 2 && first.noisyPairs == 3 && first.callsigns == 2)
        let generated = try store.importEmbedded(TestSupport.corpus, count: 300, seed: 1)
        #expect(!generated.unchanged)
        let before = try Self.snapshot(store)
        let modifiedBefore = try store.read { db in try String.fetchAll(db, sql: "SELECT imported_at FROM corpus") }

        let second = try store.importCSV(at: csv, corpus: TestSupport.corpus)
        let generatedAgain = try store.importEmbedded(TestSupport.corpus, count: 300, seed: 1)
        #expect(second.unchanged && generatedAgain.unchanged)
        #expect(second.phrases == first.phrases && second.noisyPairs == first.noisyPairs)
        #expect(try Self.snapshot(store) == before)
        #expect(try store.read { db in try String.fetchAll(db, sql: "SELECT imported_at FROM corpus") } == modifiedBefore)

        // Different content under the same name replaces the corpus instead of adding to it.
        let other = try store.importEmbedded(TestSupport.corpus, count: 200, seed: 1)
        #expect(other.replaced && !other.unchanged)
        let generatedPhrases = try store.read { db in
            try Int.fetchOne(db, sql: """
                SELECT SUM(occurrences) FROM phrase JOIN corpus ON corpus.id = phrase.corpus_id WHERE corpus.name = 'default'
                """)
        }
        #expect(generatedPhrases == 200)
    }

    @Test func aFailingImportLeavesTheDatabaseAsItWas() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try PhraseStore(path: directory.appendingPathComponent("s.sqlite").path)
        let good = directory.appendingPathComponent("good.csv")
        try TestSupport.write("""
            file,whisper_text,correct_text
            a.wav,x,lufthansa five three one eight contact zurich one three four decimal six
            """, to: good)
        _ = try store.importCSV(at: good, name: "atc", corpus: TestSupport.corpus)
        let before = try Self.snapshot(store)

        // Line 4 has a field too many: the rows before it must not survive.
        let bad = directory.appendingPathComponent("bad.csv")
        try TestSupport.write("""
            file,whisper_text,correct_text
            a.wav,x,swiss two eight one climb flight level three four zero
            b.wav,y,lufthansa four three nine three descend flight level two seven zero
            c.wav,z,speedbird one two,extra
            """, to: bad)
        for name in ["new", "atc"] {  // a new corpus, and a replacement of the existing one
            do {
                _ = try store.importCSV(at: bad, name: name, corpus: TestSupport.corpus)
                Issue.record("a CSV with a bad row was imported")
            } catch {
                #expect(error.file == bad.path)
                #expect(error.line == 4)
                #expect(error.message.contains("rolled back"))
            }
            #expect(try Self.snapshot(store) == before)
        }
        let names = try store.read { db in try String.fetchAll(db, sql: "SELECT name FROM corpus") }
        #expect(names == ["atc"])

        // A missing column is reported with the columns that exist.
        do {
            _ = try store.importCSV(at: good, referenceColumn: "reference", corpus: TestSupport.corpus)
            Issue.record("missing column accepted")
        } catch {
            #expect(error.description.contains("reference") && error.description.contains("correct_text"))
        }
        #expect(try Self.snapshot(store) == before)
    }

    @Test func invalidUTF8InATextFileNamesTheLine() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try PhraseStore(path: directory.appendingPathComponent("s.sqlite").path)
        let text = directory.appendingPathComponent("p.txt")
        try Data(Array("roger\nswiss two\n".utf8) + [0xFF, 0xFE] + Array("\n".utf8)).write(to: text)
        do {
            _ = try store.importText(at: text, corpus: TestSupport.corpus)
            Issue.record("invalid UTF-8 accepted")
        } catch {
            #expect(error.file == text.path && error.line == 3)
        }
        #expect(try store.statistics().phrases == 0)
    }

    @Test func lexicalSearchRanksTheClosestPhraseFirst() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try PhraseStore(path: directory.appendingPathComponent("s.sqlite").path)
        let text = directory.appendingPathComponent("p.txt")
        try TestSupport.write("""
            lufthansa five three one eight contact zurich one three four decimal six
            alitalia one two three descend flight level two nine zero
            swiss two eight one contact rhein one three two decimal four
            """, to: text)
        _ = try store.importText(at: text, corpus: TestSupport.corpus)
        for hits in [try store.search("Luftheancer 5318 contact Zurich 134.6", limit: 3),
                     try store.searchFTS("Luftheancer 5318 contact Zurich 134.6", limit: 3)] {
            #expect(hits.first?.canonical == "lufthansa 5 3 1 8 contact zurich 1 3 4 decimal 6")
            #expect(hits.count == 2)  // the alitalia phrase shares no word or digit pair with the query
        }
        #expect(try store.search("a", limit: 3).isEmpty)
        #expect(try store.searchFTS("a", limit: 3).isEmpty)
        // A new import is visible to the next search (the in-memory index is rebuilt).
        let more = directory.appendingPathComponent("more.txt")
        try TestSupport.write("csa one delta zulu descend flight level one zero zero\n", to: more)
        _ = try store.importText(at: more, corpus: TestSupport.corpus)
        #expect(try store.search("csa 1 delta zulu", limit: 1).first?.canonical == "csa 1 delta zulu descend flight level 1 0 0")
    }
}
