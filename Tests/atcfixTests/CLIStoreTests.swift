import Foundation
import Testing

/// Read-only commands never write the index; damaged databases get clear errors; `index check`.
@Suite(.enabled(if: CLI.available, CLI.missingMessage)) struct CLIStoreTests {
    private func fingerprint(_ url: URL) throws -> (Data, Date) {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return (try Data(contentsOf: url), attributes[.modificationDate] as! Date)
    }

    @Test func corpusStatsLeavesACSVAlone() throws {
        let directory = try CLI.scratch("stats")
        let csv = directory.appendingPathComponent("empty.csv")
        let bytes = Data("file,whisper_text\na,b\n".utf8)
        try bytes.write(to: csv)
        let result = try CLI.run(["corpus", "stats", "--db", csv.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains(csv.path) && result.stderr.contains("not an SQLite database"))
        #expect(result.stderr.contains("atcfix index build --out"))
        #expect(try Data(contentsOf: csv) == bytes)
        // An empty file is not turned into a database either.
        let empty = directory.appendingPathComponent("zero.csv")
        try Data().write(to: empty)
        #expect(try CLI.run(["corpus", "stats", "--db", empty.path]).status == 2)
        #expect(try Data(contentsOf: empty).isEmpty)
        // A missing one is not created.
        #expect(try CLI.run(["corpus", "stats", "--db", directory.appendingPathComponent("none.sqlite").path]).status == 2)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("none.sqlite").path))
    }

    @Test func queriesDoNotChangeThePhraseDatabase() throws {
        let index = try CLI.smallIndex(phrases: 200)
        let database = index.appendingPathComponent("phrases.sqlite")
        let before = try fingerprint(database)
        Thread.sleep(forTimeInterval: 1.1)  // mtime resolution on some file systems
        let correct = try CLI.run(["correct", "--index", index.path, "--llm", "none", "--retrieval", "lexical",
                                   "lufthansa four two one descend flight level one two zero"])
        #expect(correct.status == 0, "\(correct.stderr)")
        let retrieve = try CLI.run(["retrieve", "--index", index.path, "--retrieval", "lexical", "--k", "3", "swiss one two three"])
        #expect(retrieve.status == 0, "\(retrieve.stderr)")
        #expect(try CLI.run(["corpus", "stats", "--db", database.path]).status == 0)
        #expect(try CLI.run(["corpus", "search", "--db", database.path, "descend"]).status == 0)
        let after = try fingerprint(database)
        #expect(after.0 == before.0)
        #expect(after.1 == before.1)
    }

    @Test func indexCheckPassesASoundIndexAndFailsADamagedOne() throws {
        let index = try CLI.smallIndex(phrases: 300)
        let good = try CLI.run(["index", "check", "--index", index.path, "--json"])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.out.contains("\"ok\":true"))

        // Truncated to half: a clear error naming the file and how to rebuild.
        let database = index.appendingPathComponent("phrases.sqlite")
        let bytes = try Data(contentsOf: database)
        try bytes.prefix(bytes.count / 2).write(to: database)
        let truncated = try CLI.run(["index", "check", "--index", index.path])
        #expect(truncated.status == 1)
        #expect(truncated.out.contains(database.path) && truncated.out.contains("FAILED"))
        #expect(truncated.out.contains("atcfix index build --out"))
        #expect(!truncated.out.contains("SQLite error 26"))

        // A query command on it: exit 2 and the same advice, never a raw SQLite code.
        let query = try CLI.run(["correct", "--index", index.path, "--llm", "none", "--retrieval", "lexical", "descend"])
        #expect(query.status == 2, "\(query.stderr)")
        #expect(query.stderr.contains("atcfix index build --out"), "\(query.stderr)")
        #expect(!query.stderr.contains("SQLite error 26"))
    }

    @Test func indexCheckNamesNotADatabase() throws {
        let index = try CLI.scratch("notdb")
        try Data(repeating: 0x41, count: 4096).write(to: index.appendingPathComponent("phrases.sqlite"))
        let result = try CLI.run(["index", "check", "--index", index.path])
        #expect(result.status == 1)
        #expect(result.out.contains("not an SQLite database"))
    }

    @Test func corpusImportRefusesATestSplitBeforeWriting() throws {
        let directory = try CLI.scratch("split")
        let test = directory.appendingPathComponent("atcosim.test.csv")
        try Data("whisper_text,correct_text\na,b\n".utf8).write(to: test)
        let database = directory.appendingPathComponent("p.sqlite")
        let result = try CLI.run(["corpus", "import", "--db", database.path, "--corpus", test.path])
        #expect(result.status == 64)
        #expect(result.stderr.contains("test split"))
        #expect(!FileManager.default.fileExists(atPath: database.path))
        // A wrong column is found before the database is created.
        let train = directory.appendingPathComponent("train.csv")
        try Data("whisper_text,correct_text\na,b\n".utf8).write(to: train)
        let column = try CLI.run(["corpus", "import", "--db", database.path, "--corpus", train.path, "--ref-column", "nope"])
        #expect(column.status == 2)
        #expect(column.stderr.contains("nope"))
        #expect(!FileManager.default.fileExists(atPath: database.path))
    }

    @Test(.enabled(if: CLI.model != nil, "the default model is not in models/"))
    func indexBuildChecksEveryCorpusBeforeCreatingTheIndex() throws {
        let directory = try CLI.scratch("build")
        let corpus = directory.appendingPathComponent("train.csv")
        try Data("text\nhello\n".utf8).write(to: corpus)
        let out = directory.appendingPathComponent("idx")
        let result = try CLI.run(["index", "build", "--corpus", "default", "--corpus", corpus.path, "--out", out.path])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("correct_text") && result.stderr.contains(corpus.path))
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let missing = try CLI.run(["index", "build", "--corpus", directory.appendingPathComponent("nope.csv").path, "--out", out.path])
        #expect(missing.status == 64 && missing.stderr.contains("no such file"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
