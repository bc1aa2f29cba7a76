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

    /// The engine's options with a retrieval choice and an embedding model, no language model.
    static func options(_ retrieval: CorrectionEngine.Options.RetrievalChoice, model: String? = nil) -> CorrectionEngine.Options {
        var options = CorrectionEngine.Options()
        options.retrieval = retrieval
        options.embeddingModel = model
        return options
    }

    @Test func lexicalRetrievalReachesTheDecoderAndTheCorrection() throws {
        let index = try Self.tinyIndex()
        defer { try? FileManager.default.removeItem(at: index) }
        let corrector = try CorrectionEngine.open(index: index, options: Self.options(.mode(.lexical)))
        let correction = try corrector.correct("Alitalia 292 d sign to flight level 310")
        let retrieval = try #require(correction.retrieval)
        // Its own reference is the best exemplar, its pair comes with it, its callsign first.
        #expect(retrieval.hits.first?.canonical.tokens == ATCNormalizer.canonicalTokens(Self.pairs[2].reference))
        #expect(retrieval.pairs.contains { $0.hypothesisCanonical == "alitalia 2 9 2 d sign to flight level 3 1 0" })
        #expect(retrieval.callsigns.first.map { "\($0.telephony) \($0.flightNumber)" } == "alitalia 292")
        #expect(correction.corrected.tokens == ATCNormalizer.canonicalTokens(Self.pairs[2].reference))
        #expect(correction.candidates.contains { $0.words == correction.corrected })
        #expect(correction.candidates.contains { $0.words == correction.heard })
        // Without retrieval there is no retrieval report.
        let plain = try CorrectionEngine.open(index: index, options: Self.options(.none))
        #expect(try plain.correct("Alitalia 292 d sign to flight level 310").retrieval == nil)
    }

    @Test func longTranscriptIsCorrectedInPiecesInBoundedTime() throws {
        let index = try Self.tinyIndex()
        defer { try? FileManager.default.removeItem(at: index) }
        let corrector = try CorrectionEngine.open(index: index, options: Self.options(.mode(.lexical)))
        let long = (0..<1500).map { "lufthansa \($0)" }.joined(separator: " descend ")
        #expect(long.utf8.count > 10_000)
        let clock = ContinuousClock()
        let start = clock.now
        let correction = try corrector.correct(long)
        let elapsed = clock.now - start
        print("EngineTests: 10 kB transcript corrected in \(elapsed)")
        let guardrail = corrector.guardrail
        #expect(correction.heard == CanonicalTranscript(normalising: long))
        // Everything after the corrected stretch comes through as heard: nothing is dropped.
        let rest = correction.heard.count - guardrail.maxCorrectedTokens
        #expect(rest > 0)
        #expect(correction.corrected.tokens.suffix(rest) == correction.heard.tokens.suffix(rest))
        #expect(correction.notes.contains { $0.hasPrefix("corrected in \(guardrail.maxCorrectedTokens / guardrail.maxTokens) pieces") })
        #expect(correction.notes.contains { $0.hasPrefix("corrected the first \(guardrail.maxCorrectedTokens) of") })
        #expect(elapsed < .seconds(60), "a long transcript must not take long even in a debug build")
        #expect(try corrector.correct("").corrected.isEmpty)
    }

    /// Issue 19: one word of a million characters used to stall a batch for minutes.
    @Test func millionCharacterWordPassesThroughQuickly() throws {
        let index = try Self.tinyIndex(generated: 40)
        defer { try? FileManager.default.removeItem(at: index) }
        let corrector = try CorrectionEngine.open(index: index, options: Self.options(.mode(.lexical)))
        let word = String(repeating: "a", count: 1_000_000)
        let clock = ContinuousClock()
        let start = clock.now
        let correction = try corrector.correct("hermalt 104 descend \(word) flight level 250")
        let elapsed = clock.now - start
        print("EngineTests: a 1,000,000-character word corrected around in \(elapsed)")
        #expect(correction.corrected.contains(word))
        #expect(correction.notes.contains { $0.contains("longer than \(corrector.guardrail.maxTokenLength) characters") })
        #expect(elapsed < .seconds(20))
    }

    @Test func optionsOutOfRangeAreRefusedBeforeAnyWork() throws {
        let missing = try Self.scratch().appendingPathComponent("no-index")
        var options = Self.options(.none)
        options.k = 0
        #expect(throws: OptionsError(option: "k", message: "must be between 1 and 64 (got 0)")) {
            _ = try CorrectionEngine.open(index: missing, options: options)
        }
        options = Self.options(.none)
        options.languageModel = .init(path: "/nonexistent.gguf")
        options.languageModel?.judge.weight = -1
        #expect(throws: OptionsError(option: "languageModel.judge.weight", message: "must be between 0.0 and 10.0 (got -1.0)")) {
            _ = try CorrectionEngine.open(index: missing, options: options)
        }
    }

    @Test func reportNamesTheIndexOnceAndTheFallback() throws {
        let index = try Self.tinyIndex(generated: 20)
        defer { try? FileManager.default.removeItem(at: index) }
        let engine = try CorrectionEngine.open(index: index, options: Self.options(.automatic))
        let report = try #require(engine.report)
        // No vectors: automatic retrieval falls back to lexical and says so.
        #expect(report.retrieval == .lexical)
        #expect(report.notes.count == 1 && report.notes[0].contains("lexical only"))
        for line in report.lines {
            #expect(line.components(separatedBy: index.path).count <= 2, "path printed twice: \(line)")
        }
        #expect(report.lines.last?.hasPrefix("loaded index \(index.path) in ") == true)
    }

    @Test func missingIndexSaysHowToBuildOne() throws {
        let missing = try Self.scratch().appendingPathComponent("no-index")
        for mode in [CorrectionEngine.Options.RetrievalChoice.none, .mode(.lexical), .automatic] {
            #expect { _ = try CorrectionEngine.open(index: missing, options: Self.options(mode)) } throws: { error in
                "\(error)".contains("atcfix index build --out \(missing.path)")
            }
        }
    }

    @Test func denseRetrievalWithoutAModelOrVectorsIsRefusedClearly() throws {
        let index = try Self.tinyIndex()
        defer { try? FileManager.default.removeItem(at: index) }
        #expect { _ = try CorrectionEngine.open(index: index, options: Self.options(.mode(.hybrid))) } throws: { error in
            "\(error)".contains("--model")
        }
        // A model is given but the index has no vectors: say how to build them.
        #expect {
            _ = try CorrectionEngine.open(index: index, options: Self.options(.mode(.dense), model: "/nonexistent/model.gguf"))
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
        let corrector = try CorrectionEngine.open(index: index, options: Self.options(.mode(.hybrid), model: Self.modelPath))
        let correction = try corrector.correct("Iberia 3317 squawk 4621")
        #expect(correction.retrieval?.hits.first?.canonical.tokens == ATCNormalizer.canonicalTokens(Self.pairs[4].reference))
    }

    @Test(.enabled(if: EngineTests.hasModel, "needs models/SmolLM2-135M-Instruct.Q4_1.gguf (run the setup)"))
    func judgeStageIsAssembledFromTheOptions() throws {
        let index = try Self.tinyIndex(generated: 40)
        defer { try? FileManager.default.removeItem(at: index) }
        var options = Self.options(.mode(.lexical))
        options.languageModel = .init(path: "/nonexistent/judge.gguf")
        #expect { _ = try CorrectionEngine.open(index: index, options: options) } throws: { error in
            "\(error)".contains("no model at /nonexistent/judge.gguf") && "\(error)".contains("--llm none")
        }
        options.languageModel = .init(path: Self.modelPath)
        let engine = try CorrectionEngine.open(index: index, options: options)
        guard case .judge(let judge) = engine.stage else {
            Issue.record("expected the judge stage")
            return
        }
        #expect(judge.settings == CandidateJudge.Settings())
        #expect(engine.doNoHarm == DoNoHarm(minimumGainPerEdit: judge.settings.minimumGainPerEdit))
        // Judging uses the phrase-prior prompt unless told otherwise; the report has one line for it.
        #expect(engine.report?.model?.promptFormat == .prior)
        #expect(engine.report?.lines.filter { $0.contains(Self.modelPath) }.count == 1)
        let correction = try engine.correct("Alitalia 292 d sign to flight level 310")
        #expect(correction.candidates.contains { $0.words == correction.corrected })
        #expect(correction.candidates.contains { $0.words == correction.heard })
    }

    @Test func unreadableContextFileNamesIt() throws {
        let index = try Self.tinyIndex(generated: 20)
        defer { try? FileManager.default.removeItem(at: index) }
        let missing = index.appendingPathComponent("no-such-context.txt")
        var options = Self.options(.none)
        options.contextFile = missing
        #expect { _ = try CorrectionEngine.open(index: index, options: options) } throws: { error in
            "\(error)".contains(missing.path) && "\(error)".contains("one callsign or waypoint per line")
        }
        // A real context file: ICAO designators resolve through the index's airline list.
        let file = index.appendingPathComponent("context.txt")
        try "DLH4393\nswiss 281K\n".write(to: file, atomically: true, encoding: .utf8)
        options.contextFile = file
        let corrector = try CorrectionEngine.open(index: index, options: options)
        let entries = corrector.evidence.context.entries
        #expect(entries.count == 2)
        #expect(entries.first?.tokens == ["lufthansa", "4", "3", "9", "3"])
        #expect(entries.last?.starts(with: ["swiss", "2", "8", "1"]) == true)
        #expect(corrector.report?.contextEntries == 2)
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
