import ATCText
import Foundation
import PhraseStore
import Testing
import VectorIndex
@testable import Retrieval

/// End-to-end tests over a tiny index built here: 200 generated phrases plus the hand-written
/// pairs of ``RetrievalTestSupport``, embedded at block 3 (cheap) of the default model.
@Suite(.serialized) struct RetrieverTests {
    static let settings = EmbeddingSettings(layer: 3, pooling: .mean, centre: true, whiten: true, shrinkage: 0.1,
                                            queryMapRidge: 0.01)

    @Test func missingIndexSaysHowToBuildOne() throws {
        let directory = try RetrievalTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("nothing-here")
        let error = #expect(throws: RetrievalError.self) {
            _ = try Retriever(directory: missing, modelPath: nil)
        }
        #expect(error?.message.contains("atcfix index build --out \(missing.path)") == true)
        #expect(error?.message.contains("phrases.sqlite") == true)
    }

    @Test func lexicalRetrievalWithoutVectorsAndEmptyTranscript() throws {
        let directory = try RetrievalTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try RetrievalTestSupport.makeStore(in: directory, generated: 200)
        let retriever = try Retriever(directory: directory, modelPath: nil)
        let empty = try retriever.retrieve("  ", k: 5, mode: .lexical)
        #expect(empty.hits.isEmpty && empty.callsigns.isEmpty && empty.pairs.isEmpty)
        #expect(empty.note == "empty transcript: nothing to retrieve")
        // The hand-written reference comes back first for its own Whisper hypothesis, with its pair.
        let result = try retriever.retrieve("Luftheancer 5318 contact Zurich 134.6", k: 3, mode: .lexical)
        #expect(result.hits.first?.canonical.tokens == ATCNormalizer.canonicalTokens(
            "lufthansa five three one eight contact zurich one three four decimal six"))
        #expect(result.hits.first?.source == .lexical)
        #expect(result.callsigns.first.map { "\($0.telephony) \($0.flightNumber)" } == "lufthansa 5318")
        #expect(result.pairs.contains { $0.hypothesis.contains("Luftheancer") })
        // A transcript without a usable callsign: the matcher alone cannot name the flight, the
        // retrieved phrase (the same instruction, heard the same way) lends its callsign.
        let garbled = "Vitalia d sign to flight level 310"
        let matched = retriever.matcher.candidates(ATCNormalizer.canonicalTokens(garbled), limit: 5)
        #expect(!matched.contains { $0.telephony == "alitalia" && $0.flightNumber == "292" })
        let withHits = try retriever.retrieve(garbled, k: 5, mode: .lexical)
        #expect(withHits.hits.first?.text == "alitalia 292 descend to flight level 310")
        #expect(withHits.callsigns.contains { $0.telephony == "alitalia" && $0.flightNumber == "292" })
        // Dense retrieval needs the model.
        #expect(throws: RetrievalError.self) { _ = try retriever.retrieve("sabena 481", k: 3, mode: .dense) }
    }

    @Test(.enabled(if: RetrievalTestSupport.hasModel, "needs models/SmolLM2-135M-Instruct.Q4_1.gguf (run the setup)"))
    func tinyIndexEndToEnd() throws {
        let directory = try RetrievalTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try RetrievalTestSupport.makeStore(in: directory, generated: 200)
        let layout = IndexLayout(directory: directory)
        let clock = ContinuousClock()
        let loadStart = clock.now
        let embedder = try PhraseEmbedder(modelPath: RetrievalTestSupport.modelPath, settings: Self.settings)
        print("RetrieverTests: model load and hash \(clock.now - loadStart)")
        var builder = IndexBuilder(layout: layout, embedder: embedder)
        builder.transformSampleSize = 150
        let forms = try store.canonicalForms()
        let first = try builder.build()
        #expect(first.forms == forms.count && first.embedded == forms.count && first.skipped == 0)
        #expect(try store.canonicalForms().allSatisfy(\.done))
        #expect(try HNSWIndex.load(from: layout.vectorsURL).count == forms.count)

        // Re-running skips everything.
        let again = try builder.build()
        #expect(again.embedded == 0 && again.skipped == forms.count)

        // The index describes itself: no settings are passed to open it.
        let retriever = try Retriever(directory: directory, modelPath: RetrievalTestSupport.modelPath)
        #expect(retriever.identity == embedder.identity)
        #expect(retriever.indexDescription?.settings == Self.settings)
        #expect(retriever.embedder?.settings == Self.settings)
        #expect(retriever.indexDescription?.model.sha256 == (try ModelFingerprint.sha256(ofFileAt: RetrievalTestSupport.modelPath)))
        // The query map was fitted on the hand-written pairs and recorded beside the whitening.
        let recorded = try EmbeddingTransform.load(from: store, settings: Self.settings, dimension: embedder.dimension,
                                                   path: layout.phrasesURL.path)
        #expect(recorded.queryMap?.matrix.count == embedder.dimension * embedder.dimension)
        #expect(embedder.identity.hasSuffix("querymap:0.01"))
        // An indexed phrase, asked verbatim, is its own nearest neighbour in every mode.
        let phrase = "swissair one two three climb to flight level three three zero"
        for mode in RetrievalMode.allCases {
            let result = try retriever.retrieve(phrase, k: 5, mode: mode)
            #expect(result.hits.count == 5)
            #expect(result.hits.first?.canonical.tokens == ATCNormalizer.canonicalTokens(phrase), "mode \(mode)")
            #expect(result.hits.first?.text == "swissair 123 climb to flight level 330")
        }
        let hybrid = try retriever.retrieve(phrase, k: 5, mode: .hybrid)
        #expect(hybrid.hits.first?.source == .both)
        #expect(hybrid.pairs.first?.referenceCanonical == ATCNormalizer.canonical(phrase))

        // Brute force over the stored vectors: the HNSW answer for a query equals the exact
        // nearest vector by cosine.
        let transform = try EmbeddingTransform.load(from: store, settings: Self.settings, dimension: embedder.dimension,
                                                    path: layout.phrasesURL.path)
        let query = transform.apply(try embedder.embed(canonical: ATCNormalizer.canonical("sabina 4 8 1 rhein identified")))
        let index = try HNSWIndex.load(from: layout.vectorsURL)
        var bestID: Int64 = -1
        var bestScore = -Double.infinity
        for form in forms {
            let stored = try #require(index.vector(id: UInt64(form.vectorID)))
            let score = ReferenceDistance.score(query, stored, metric: .cosine)
            if score > bestScore { (bestID, bestScore) = (form.vectorID, score) }
        }
        #expect(try index.search(query, k: 1, ef: 400).first.map { Int64($0.id) } == bestID)
    }

    @Test(.enabled(if: RetrievalTestSupport.hasModel, "needs models/SmolLM2-135M-Instruct.Q4_1.gguf (run the setup)"))
    func indexOpensWithItsOwnSettingsAndRefusesAnotherBuild() throws {
        let directory = try RetrievalTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try RetrievalTestSupport.makeStore(in: directory, generated: 20)
        let layout = IndexLayout(directory: directory)
        let embedder = try PhraseEmbedder(modelPath: RetrievalTestSupport.modelPath, settings: Self.settings)
        _ = try IndexBuilder(layout: layout, embedder: embedder).build()

        // Opening needs no settings: the index's own are used, whatever the standard ones are.
        #expect(Self.settings != .standard)
        let retriever = try Retriever(directory: directory, modelPath: RetrievalTestSupport.modelPath)
        #expect(retriever.embedder?.settings == Self.settings)
        #expect(try retriever.retrieve("sabena 481", k: 3, mode: .dense).hits.count == 3)

        var otherPooling = Self.settings
        otherPooling.pooling = .last
        let lastEmbedder = try PhraseEmbedder(modelPath: RetrievalTestSupport.modelPath, settings: otherPooling)
        let buildError = #expect(throws: RetrievalError.self) {
            _ = try IndexBuilder(layout: layout, embedder: lastEmbedder).build()
        }
        #expect(buildError?.message.contains("pooling:mean") == true && buildError?.message.contains("pooling:last") == true)
    }

    /// An index built before the structured description (identity text only, model named by
    /// its whole-file SHA-256) opens with the settings its text spells, and a resumed build
    /// keeps its identity.
    @Test(.enabled(if: RetrievalTestSupport.hasModel, "needs models/SmolLM2-135M-Instruct.Q4_1.gguf (run the setup)"))
    func indexFromBeforeTheDescriptionStillOpens() throws {
        let directory = try RetrievalTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try RetrievalTestSupport.makeStore(in: directory, generated: 20)
        let layout = IndexLayout(directory: directory)
        let embedder = try PhraseEmbedder(modelPath: RetrievalTestSupport.modelPath, settings: Self.settings)
        var legacy = IndexBuilder(layout: layout, embedder: embedder)
        legacy.recordsLegacyIdentity = true
        _ = try legacy.build()
        #expect(try store.indexMetadata(IndexLayout.descriptionKey) == nil)
        let text = try #require(try store.indexMetadata(IndexLayout.identityKey).map { String(decoding: $0, as: UTF8.self) })
        let sha = try ModelFingerprint.sha256(ofFileAt: RetrievalTestSupport.modelPath)
        #expect(text == "sha256:\(sha) layer:block3 pooling:mean centre:yes whiten:0.1 input:canonical querymap:0.01")

        let retriever = try Retriever(directory: directory, modelPath: RetrievalTestSupport.modelPath)
        #expect(retriever.identity == text)
        #expect(retriever.embedder?.settings == Self.settings)
        let phrase = "swissair one two three climb to flight level three three zero"
        #expect(try retriever.retrieve(phrase, k: 3, mode: .dense).hits.first?.text == "swissair 123 climb to flight level 330")
        let again = try IndexBuilder(layout: layout, embedder: embedder).build()
        #expect(again.embedded == 0 && again.skipped == again.forms)
        #expect(try HNSWIndex.load(from: layout.vectorsURL).modelIdentity == text)
    }

    /// Another model file (here: the real model with one byte of its header changed) is
    /// refused at open with a message naming both and what to do.
    @Test(.enabled(if: RetrievalTestSupport.hasModel, "needs models/SmolLM2-135M-Instruct.Q4_1.gguf (run the setup)"))
    func anotherModelFileIsRefused() throws {
        let directory = try RetrievalTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try RetrievalTestSupport.makeStore(in: directory, generated: 20)
        let embedder = try PhraseEmbedder(modelPath: RetrievalTestSupport.modelPath, settings: Self.settings)
        _ = try IndexBuilder(layout: IndexLayout(directory: directory), embedder: embedder).build()
        // A copy whose last byte differs: same size, same header, tail changed.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: RetrievalTestSupport.modelPath))
        bytes[bytes.count - 1] ^= 0x01
        let copy = directory.appendingPathComponent("other.gguf")
        try bytes.write(to: copy)
        let error = #expect(throws: RetrievalError.self) {
            _ = try Retriever(directory: directory, modelPath: copy.path)
        }
        #expect(error?.message.contains("another model") == true && error?.message.contains(copy.path) == true)
        #expect(error?.message.contains("--layer") == false)
    }
}
