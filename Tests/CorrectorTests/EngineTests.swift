import ATCText
import CSVIO
import Foundation
import PhraseStore
import Retrieval
import Testing
@testable import Corrector

/// The engine opened from a tiny index built here (200 generated phrases and a few
/// hand-written Whisper pairs): retrieval feeding the decoder, and the bad inputs of issue 9.
@Suite(.serialized) struct EngineTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let modelPath = packageRoot.appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf").path
    static var hasModel: Bool {
        let present = FileManager.default.fileExists(atPath: modelPath)
        if !present { print("EngineTests: \(modelPath) is absent; the model/index mismatch test is skipped") }
        return present
    }

    static let pairs: [(hypothesis: String, reference: String)] = [
        ("Luftheancer 5318 contact Zurich 134.6", "lufthansa five three one eight contact zurich one three four decimal six"),
        ("hermalt 104 descend flight level 250", "air malta one zero four descend flight level two five zero"),
        ("Alitalia 292 d sign to flight level 310", "alitalia two nine two descend to flight level three one zero"),
        ("Speedbird 2839 turn left heading 270", "speedbird two eight three nine turn left heading two seven zero"),
        ("Iberia 3317 squawk 4621", "iberia three three one seven squawk four six two one"),
    ]

    private static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("atcfix-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A lexical-only index: phrases.sqlite with generated phrases and the pairs above.
    private static func tinyIndex(generated: Int = 200) throws -> URL {
        let directory = try scratch()
        let store = try PhraseStore(path: ChannelModel.phraseDatabase(in: directory).path)
        let corpus = try EmbeddedCorpus.load()
        _ = try store.importEmbedded(corpus, count: generated)
        let csv = directory.appendingPathComponent("pairs.csv")
        var text = "file,whisper_text,correct_text\n"
        for (index, pair) in pairs.enumerated() { text += "f\(index).wav,\"\(pair.hypothesis)\",\(pair.reference)\n" }
        try text.write(to: csv, atomically: true, encoding: .utf8)
        _ = try store.importCSV(at: csv, corpus: corpus)
        return directory
    }

    @Test func lexicalRetrievalReachesTheDecoderAndTheCorrection() throws {
        let index = try Self.tinyIndex()
        defer { try? FileManager.default.removeItem(at: index) }
        let (corrector, _) = try EngineConfiguration(index: index, retrieval: .lexical).load()
        let correction = try corrector.correct("Alitalia 292 d sign to flight level 310")
        let retrieval = try #require(correction.retrieval)
        // Its own reference is the best exemplar, its pair comes with it, its callsign first.
        #expect(retrieval.hits.first?.canonical.tokens == ATCNormalizer.canonicalTokens(Self.pairs[2].reference))
        #expect(retrieval.pairs.contains { $0.hypothesisCanonical == "alitalia 2 9 2 d sign to flight level 3 1 0" })
        #expect(retrieval.callsigns.first.map { "\($0.telephony) \($0.flightNumber)" } == "alitalia 292")
        #expect(correction.corrected == ATCNormalizer.canonicalTokens(Self.pairs[2].reference))
        #expect(correction.candidates.contains { $0.words == correction.corrected })
        #expect(correction.candidates.contains { $0.words == correction.heard })
        // Without retrieval there is no retrieval report.
        let (plain, _) = try EngineConfiguration(index: index, retrieval: nil).load()
        #expect(try plain.correct("Alitalia 292 d sign to flight level 310").retrieval == nil)
    }

    @Test func tenKilobyteTranscriptIsTruncatedInBoundedTime() throws {
        let index = try Self.tinyIndex()
        defer { try? FileManager.default.removeItem(at: index) }
        let (corrector, _) = try EngineConfiguration(index: index, retrieval: .lexical).load()
        let long = (0..<1500).map { "lufthansa \($0)" }.joined(separator: " descend ")
        #expect(long.utf8.count > 10_000)
        let clock = ContinuousClock()
        let start = clock.now
        let correction = try corrector.correct(long)
        let elapsed = clock.now - start
        print("EngineTests: 10 kB transcript corrected in \(elapsed)")
        #expect(correction.heard.count == corrector.guardrail.maxTokens)
        #expect(correction.notes.contains { $0.hasPrefix("truncated to the first \(corrector.guardrail.maxTokens) of") })
        #expect(elapsed < .seconds(20), "a capped transcript must not take long even in a debug build")
        #expect(try corrector.correct("").corrected.isEmpty)
    }

    @Test func missingIndexSaysHowToBuildOne() throws {
        let missing = try Self.scratch().appendingPathComponent("no-index")
        for mode in [nil, RetrievalMode.lexical] {
            #expect { _ = try EngineConfiguration(index: missing, retrieval: mode).load() } throws: { error in
                "\(error)".contains("atcfix index build --out \(missing.path)")
            }
        }
    }

    @Test func denseRetrievalWithoutAModelOrVectorsIsRefusedClearly() throws {
        let index = try Self.tinyIndex()
        defer { try? FileManager.default.removeItem(at: index) }
        #expect { _ = try EngineConfiguration(index: index, retrieval: .hybrid, modelPath: nil).load() } throws: { error in
            "\(error)".contains("--model")
        }
        // A model is given but the index has no vectors: say how to build them.
        #expect {
            _ = try EngineConfiguration(index: index, retrieval: .dense, modelPath: "/nonexistent/model.gguf").load()
        } throws: { error in
            "\(error)".contains("atcfix index build")
        }
    }

    @Test(.enabled(if: EngineTests.hasModel, "needs models/SmolLM2-135M-Instruct.Q4_1.gguf (run the setup)"))
    func indexEmbeddedWithOtherSettingsOpensWithItsOwn() throws {
        let index = try Self.tinyIndex(generated: 40)
        defer { try? FileManager.default.removeItem(at: index) }
        // Embedded at block 3; the engine is opened without settings (the index records its own).
        let built = EmbeddingSettings(layer: 3, pooling: .mean, centre: true, whiten: true, shrinkage: 0.1)
        var builder = IndexBuilder(layout: IndexLayout(directory: index),
                                   embedder: try PhraseEmbedder(modelPath: Self.modelPath, settings: built))
        builder.transformSampleSize = 30
        _ = try builder.build()
        #expect(built != EmbeddingSettings.standard)
        let (corrector, _) = try EngineConfiguration(index: index, retrieval: .hybrid, modelPath: Self.modelPath).load()
        let correction = try corrector.correct("Iberia 3317 squawk 4621")
        #expect(correction.retrieval?.hits.first?.canonical.tokens == ATCNormalizer.canonicalTokens(Self.pairs[4].reference))
    }

    @Test func unreadableContextFileNamesIt() throws {
        let index = try Self.tinyIndex(generated: 20)
        defer { try? FileManager.default.removeItem(at: index) }
        let missing = index.appendingPathComponent("no-such-context.txt")
        #expect { _ = try EngineConfiguration(index: index, retrieval: nil, contextFile: missing).load() } throws: { error in
            "\(error)".contains(missing.path) && "\(error)".contains("one callsign or waypoint per line")
        }
        // A real context file: ICAO designators resolve through the index's airline list.
        let file = index.appendingPathComponent("context.txt")
        try "DLH4393\nswiss 281K\n".write(to: file, atomically: true, encoding: .utf8)
        let (corrector, _) = try EngineConfiguration(index: index, retrieval: nil, contextFile: file).load()
        #expect(corrector.context.entries.count == 2)
        #expect(corrector.context.entries.first == ["lufthansa", "4", "3", "9", "3"])
        #expect(corrector.context.entries.last?.starts(with: ["swiss", "2", "8", "1"]) == true)
    }

    @Test func unwritableOutputIsCaughtBeforeTheEngineLoads() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in.csv")
        try "whisper_text\na\n".write(to: input, atomically: true, encoding: .utf8)
        let noDirectory = BatchJob(input: input, output: URL(fileURLWithPath: "/nonexistent-dir/out.csv"))
        #expect(throws: CSVError.self) { try noDirectory.checkOutputWritable() }
        let isDirectory = BatchJob(input: input, output: directory)
        #expect { try isDirectory.checkOutputWritable() } throws: { error in "\(error)".contains("is a directory") }
        let fine = BatchJob(input: input, output: directory.appendingPathComponent("out.csv"))
        try fine.checkOutputWritable()
        // The probe leaves nothing behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["in.csv"])
    }
}
