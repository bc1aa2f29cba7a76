import Foundation
import PhraseStore
@testable import Retrieval

/// Locations of the files some tests need, and a tiny corpus written for these tests.
enum RetrievalTestSupport {
    /// The package root, from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The default model, when the setup has fetched it.
    static let modelPath = packageRoot.appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf").path

    /// Whether the model is present; tests needing it are disabled (and say why) otherwise.
    static var hasModel: Bool {
        let present = FileManager.default.fileExists(atPath: modelPath)
        if !present { print("RetrievalTests: \(modelPath) is absent; model-based retrieval tests are skipped") }
        return present
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("atcfix-retrieval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Hand-written ATC phrases (references) with Whisper-like hypotheses for some.
    static let handWrittenPairs: [(hypothesis: String, reference: String)] = [
        ("Sabina 481, Ryan identified.", "sabena four eight one rhein identified"),
        ("Luftheancer 5318 contact Zurich 134.6", "lufthansa five three one eight contact zurich one three four decimal six"),
        ("hermalt 104 descend flight level 250", "air malta one zero four descend flight level two five zero"),
        ("Alitalia 292 d sign to flight level 310", "alitalia two nine two descend to flight level three one zero"),
        ("Speedbird 2839 turn left heading 270", "speedbird two eight three nine turn left heading two seven zero"),
        ("Swissair 123 climb to flight level 330", "swissair one two three climb to flight level three three zero"),
        ("Iberia 3317 squawk 4621", "iberia three three one seven squawk four six two one"),
        ("KLM 75 contact Rhein 132.4 goodbye", "k l m seven five contact rhein one three two decimal four goodbye"),
    ]

    /// Writes `handWrittenPairs` as a CSV with whisper_text and correct_text.
    static func writePairsCSV(to url: URL) throws {
        var text = "file,whisper_text,correct_text\n"
        for (index, pair) in handWrittenPairs.enumerated() {
            text += "f\(index).wav,\"\(pair.hypothesis)\",\(pair.reference)\n"
        }
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// A store in `directory/phrases.sqlite` with `generated` embedded-corpus phrases and the
    /// hand-written pairs.
    static func makeStore(in directory: URL, generated: Int) throws -> PhraseStore {
        let layout = IndexLayout(directory: directory)
        let store = try PhraseStore(path: layout.phrasesURL.path)
        let corpus = try EmbeddedCorpus.load()
        _ = try store.importEmbedded(corpus, count: generated)
        let csv = directory.appendingPathComponent("pairs.csv")
        try writePairsCSV(to: csv)
        _ = try store.importCSV(at: csv, corpus: corpus)
        return store
    }
}
