import ArgumentParser
import Foundation
import PhraseStore
import Retrieval
import VectorIndex

/// `atcfix index check`: is an index usable as it is on disk?
struct IndexCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check an index: SQLite integrity of phrases.sqlite and that vectors.hnsw loads.",
        discussion: CommandHelp.discussion(
            """
            Opens DIR/phrases.sqlite read-only and runs PRAGMA integrity_check over every page \
            and index, then loads DIR/vectors.hnsw (when present), which verifies its header, \
            every section checksum and the link bounds, and checks it was built for the model \
            the phrase store records. Prints one line per file; changes nothing. Exits 0 when \
            everything is sound and 1 when a check fails (the line says what to rebuild).
            """,
            examples: [
                "atcfix index check",
                "atcfix index check --index /tmp/small-index --json",
            ])
    )

    @Option(help: "The index directory (default: ATCFIX_INDEX, else the data directory's or checkout's indexes/default).")
    var index = Defaults.indexPath

    @Flag(help: "Print one JSON object (keys: index, ok, phrases {ok, problems}, vectors {ok, present, count, dimension, problem}).")
    var json = false

    struct Report: Encodable {
        struct Phrases: Encodable {
            var ok: Bool
            var problems: [String]
        }

        struct Vectors: Encodable {
            var ok: Bool
            var present: Bool
            var count: Int?
            var dimension: Int?
            var problem: String?
        }

        var index: String
        var ok: Bool
        var phrases: Phrases
        var vectors: Vectors
    }

    func run() throws {
        let layout = IndexLayout(directory: URL(fileURLWithPath: index))
        var phrases = Report.Phrases(ok: true, problems: [])
        var identity: String?
        do {
            let store = try PhraseStore(path: layout.phrasesURL.path, mode: .readOnly)
            phrases.problems = try store.integrityProblems()
            identity = try store.indexMetadata("model_identity").flatMap { String(validating: $0, as: UTF8.self) }
        } catch {
            phrases.problems = [error.message]
        }
        phrases.ok = phrases.problems.isEmpty
        var vectors = Report.Vectors(ok: true, present: FileManager.default.fileExists(atPath: layout.vectorsURL.path))
        if vectors.present {
            do {
                let loaded = try HNSWIndex.load(from: layout.vectorsURL, expectedModelIdentity: identity)
                vectors.count = loaded.count
                vectors.dimension = loaded.dimension
            } catch {
                vectors.ok = false
                // The message starts with the path; it is printed once, before it.
                let prefix = layout.vectorsURL.path + ": "
                let message = error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message
                vectors.problem = "\(message); \(layout.buildHint)"
            }
        }
        let report = Report(index: index, ok: phrases.ok && vectors.ok, phrases: phrases, vectors: vectors)
        if json {
            try JSONOutput.print(report)
        } else {
            if phrases.ok {
                print("\(layout.phrasesURL.path): ok (integrity_check)")
            } else {
                let advice = phrases.problems.count == 1 && phrases.problems[0].contains("atcfix index build") ? "" : "; \(layout.buildHint)"
                print("\(layout.phrasesURL.path): FAILED: \(phrases.problems.prefix(10).joined(separator: "; "))\(advice)")
            }
            if !vectors.present {
                print("\(layout.vectorsURL.path): absent (lexical retrieval only; \(layout.buildHint))")
            } else if vectors.ok {
                print("\(layout.vectorsURL.path): ok (\(vectors.count ?? 0) vectors of dimension \(vectors.dimension ?? 0))")
            } else {
                print("\(layout.vectorsURL.path): FAILED: \(vectors.problem ?? "")")
            }
        }
        if !report.ok { throw ExitCode(CommandFailure.runtimeError) }
    }
}
