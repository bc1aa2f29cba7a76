import Foundation
import PhraseStore
import VectorIndex

/// Progress of an index build, reported after every chunk of embedded phrases.
public struct IndexBuildProgress: Sendable, Equatable {
    /// What is being done (`fitting transform`, `embedding`).
    public var phase: String
    /// Units done in this phase.
    public var done: Int
    /// Units in this phase.
    public var total: Int
}

/// What an embedding pass did.
public struct IndexBuildReport: Sendable, Equatable, CustomStringConvertible {
    /// Distinct canonical forms in the store.
    public var forms: Int
    /// Forms embedded by this run.
    public var embedded: Int
    /// Forms already embedded by an earlier run (skipped).
    public var skipped: Int
    /// Stale vectors (of phrases dropped since) removed from the graph.
    public var removed: Int
    /// Seconds spent embedding.
    public var embeddingSeconds: Double
    /// Seconds spent inserting into the graph and saving.
    public var indexingSeconds: Double

    /// One line summary.
    public var description: String {
        let rate = embedded > 0 && embeddingSeconds > 0 ? String(format: ", %.1f forms/s", Double(embedded) / embeddingSeconds) : ""
        return "\(forms) distinct phrases: \(embedded) embedded, \(skipped) already done, \(removed) stale removed; "
            + String(format: "embedding %.1f s%@, graph %.1f s", embeddingSeconds, rate, indexingSeconds)
    }
}

/// Embeds every distinct canonical form of an index directory's phrase store into its HNSW
/// graph, resumably.
///
/// Crash safety: each chunk is embedded, inserted into the in-memory graph and its vector ids
/// recorded in the store in one transaction; the graph file is rewritten atomically every
/// ``saveInterval`` seconds and at the end. A kill therefore leaves the previous graph file and
/// a store whose recorded ids may run ahead of it; the next run re-embeds forms that are
/// recorded but absent from the graph, and removes graph vectors whose forms are not recorded
/// (stale after a corpus was replaced) before re-embedding them.
public struct IndexBuilder: Sendable {
    /// The index files.
    public let layout: IndexLayout
    /// The embedder.
    public let embedder: PhraseEmbedder
    /// Forms per chunk.
    public var chunkSize = 256
    /// Seconds between graph checkpoints.
    public var saveInterval = 120.0
    /// Forms embedded to fit the transform (a deterministic spread over the store).
    public var transformSampleSize = 2_000
    /// Graph parameters for a new index.
    public var parameters = HNSWParameters(m: 16, efConstruction: 100, efSearch: 64)
    /// Threads for graph insertion.
    public var threads = 2
    /// Record only the identity text naming the model by its whole-file SHA-256, as indexes
    /// built before ``IndexDescription`` did: for tests that such indexes still open.
    var recordsLegacyIdentity = false

    /// A builder for `layout` with `embedder`.
    public init(layout: IndexLayout, embedder: PhraseEmbedder) {
        self.layout = layout
        self.embedder = embedder
    }

    /// Embeds what is not embedded yet. `progress` is called after each chunk.
    public func build(progress: (IndexBuildProgress) -> Void = { _ in }) throws(RetrievalError) -> IndexBuildReport {
        let store: PhraseStore
        do {
            store = try PhraseStore(path: layout.phrasesURL.path)
        } catch {
            throw RetrievalError("\(layout.phrasesURL.path): \(error)")
        }
        // An index that already has vectors keeps its identity text (an older index's names the
        // model by its whole-file SHA-256), once its settings and model are this build's.
        var identity = embedder.identity
        if let recorded = try IndexDescription.read(from: store, path: layout.phrasesURL.path) {
            guard recorded.settings == embedder.settings,
                  try recorded.model.matches(embedder.model, path: embedder.modelPath)
            else {
                throw RetrievalError("""
                    index \(layout.directory.path) was built with embedding '\(recorded.identity)'; this build uses \
                    '\(embedder.identity)'. Build into another --out directory or delete \(layout.directory.path) first
                    """)
            }
            identity = recorded.identity
        } else if recordsLegacyIdentity {
            identity = "sha256:\(try ModelFingerprint.sha256(ofFileAt: embedder.modelPath)) \(embedder.settings.identityText)"
        }
        let forms = try wrap { () throws(PhraseStoreError) in try store.canonicalForms() }
        let graph = try openGraph(identity: identity)
        let fitted = try fitTransform(store: store, forms: forms, identity: identity, progress: progress)
        let transform = fitted.0
        var sampled = fitted.1

        var report = IndexBuildReport(forms: forms.count, embedded: 0, skipped: 0, removed: 0, embeddingSeconds: 0,
                                      indexingSeconds: 0)
        var pending: [(vectorID: Int64, canonical: String)] = []
        for form in forms {
            let inGraph = graph.contains(id: UInt64(form.vectorID))
            if form.done && inGraph {
                report.skipped += 1
                continue
            }
            if inGraph && !form.done {
                _ = graph.remove(id: UInt64(form.vectorID))
                report.removed += 1
            }
            pending.append((form.vectorID, form.canonical))
        }
        var lastSave = Date()
        var dirty = report.removed > 0
        progress(IndexBuildProgress(phase: "embedding", done: 0, total: pending.count))
        var start = 0
        while start < pending.count {
            let chunk = Array(pending[start..<min(pending.count, start + chunkSize)])
            let embedStart = Date()
            var flat: [Float] = []
            flat.reserveCapacity(chunk.count * embedder.dimension)
            // The transform's sample was embedded already: reuse those vectors.
            let missing = chunk.filter { sampled[$0.vectorID] == nil }
            var fresh = try embedder.embed(canonicals: missing.map(\.canonical)).makeIterator()
            for form in chunk {
                let raw = sampled.removeValue(forKey: form.vectorID) ?? fresh.next()!
                flat.append(contentsOf: transform.apply(raw))
            }
            let indexStart = Date()
            report.embeddingSeconds += indexStart.timeIntervalSince(embedStart)
            do {
                try graph.add(ids: chunk.map { UInt64($0.vectorID) }, flatVectors: flat, threads: threads)
            } catch {
                throw RetrievalError("\(layout.vectorsURL.path): adding vectors failed: \(error.message)")
            }
            try wrap { () throws(PhraseStoreError) in try store.assignVectorIDs(chunk) }
            dirty = true
            if Date().timeIntervalSince(lastSave) >= saveInterval {
                try save(graph, identity: identity)
                lastSave = Date()
                dirty = false
            }
            report.indexingSeconds += Date().timeIntervalSince(indexStart)
            report.embedded += chunk.count
            start += chunk.count
            progress(IndexBuildProgress(phase: "embedding", done: start, total: pending.count))
        }
        if dirty || !FileManager.default.fileExists(atPath: layout.vectorsURL.path) {
            let saveStart = Date()
            try save(graph, identity: identity)
            report.indexingSeconds += Date().timeIntervalSince(saveStart)
        }
        return report
    }

    /// The existing graph (checked against the index's identity) or a new one.
    private func openGraph(identity: String) throws(RetrievalError) -> HNSWIndex {
        do {
            if FileManager.default.fileExists(atPath: layout.vectorsURL.path) {
                return try HNSWIndex.load(from: layout.vectorsURL, expectedModelIdentity: identity,
                                          expectedDimension: embedder.dimension)
            }
            return try HNSWIndex(dimension: embedder.dimension, metric: .cosine, parameters: parameters)
        } catch {
            throw RetrievalError("\(layout.vectorsURL.path): \(error.message); delete it to rebuild the vectors")
        }
    }

    private func save(_ graph: HNSWIndex, identity: String) throws(RetrievalError) {
        do {
            try graph.save(to: layout.vectorsURL, modelIdentity: identity)
        } catch {
            throw RetrievalError("\(layout.vectorsURL.path): saving failed: \(error.message)")
        }
    }

    /// The recorded transform, or one fitted and recorded (with the index's description) in one
    /// transaction: centring and whitening on a spread sample of the forms, the query map on
    /// every noisy pair (with no pairs it is the identity).
    private func fitTransform(
        store: PhraseStore, forms: [(vectorID: Int64, canonical: String, done: Bool)], identity: String,
        progress: (IndexBuildProgress) -> Void
    ) throws(RetrievalError) -> (EmbeddingTransform, [Int64: [Float]]) {
        if (try? store.indexMetadata(EmbeddingTransform.meanKey)) ?? nil != nil {
            return (try EmbeddingTransform.load(from: store, settings: embedder.settings, dimension: embedder.dimension,
                                                path: layout.phrasesURL.path), [:])
        }
        let sampleCount = min(transformSampleSize, forms.count)
        // An even spread, so every corpus (imported one after another) is represented.
        let picked = (0..<sampleCount).map { forms[$0 * forms.count / max(sampleCount, 1)] }
        // The query map learns from every noisy pair: its reference and its hypothesis.
        var pairs: [(hypothesis: String, reference: String)] = []
        if embedder.settings.queryMapRidge != nil {
            let stored = try wrap { () throws(PhraseStoreError) in try store.hypothesesWithReferences() }
            let references = try wrap { () throws(PhraseStoreError) in try store.phrases(forIDs: Array(Set(stored.map(\.phraseID)))) }
            pairs = stored.compactMap { pair in references[pair.phraseID].map { (pair.hypothesis, $0.canonical) } }
                .filter { !$0.hypothesis.isEmpty }
        }
        var needed: [String] = []
        var seen = Set<String>()
        for canonical in picked.map(\.canonical) + pairs.flatMap({ [$0.reference, $0.hypothesis] })
        where seen.insert(canonical).inserted {
            needed.append(canonical)
        }
        var vectorOf: [String: [Float]] = [:]
        var start = 0
        while start < needed.count {
            let chunk = Array(needed[start..<min(needed.count, start + chunkSize)])
            for (canonical, vector) in zip(chunk, try embedder.embed(canonicals: chunk)) { vectorOf[canonical] = vector }
            start += chunk.count
            progress(IndexBuildProgress(phase: "fitting transform", done: start, total: needed.count))
        }
        // Vectors of indexed forms are kept for the embedding pass.
        var byID: [Int64: [Float]] = [:]
        for form in forms { if let vector = vectorOf[form.canonical] { byID[form.vectorID] = vector } }
        let sample = picked.map { vectorOf[$0.canonical]! }
        var transform = EmbeddingTransform(fitting: sample, dimension: embedder.dimension, settings: embedder.settings)
        if let ridge = embedder.settings.queryMapRidge {
            transform.queryMap = EmbeddingTransform.QueryMap(
                fittingHypotheses: pairs.map { vectorOf[$0.hypothesis]! }, references: pairs.map { vectorOf[$0.reference]! },
                dimension: embedder.dimension, ridge: ridge)
        }
        // The index describes itself: settings, and the model by its sampled fingerprint (checked
        // at every open) and its whole-file SHA-256 (computed once, here, for provenance).
        var metadata = transform.metadata()
        metadata[IndexLayout.identityKey] = Array(identity.utf8)
        if !recordsLegacyIdentity {
            var description = embedder.indexDescription
            description.model = try ModelFingerprint.of(fileAt: embedder.modelPath, fullHash: true)
            metadata[IndexLayout.descriptionKey] = description.encoded()
        }
        try wrap { () throws(PhraseStoreError) in try store.setIndexMetadata(metadata) }
        return (transform, byID)
    }

    private func wrap<T>(_ body: () throws(PhraseStoreError) -> T) throws(RetrievalError) -> T {
        do {
            return try body()
        } catch {
            throw RetrievalError("\(layout.phrasesURL.path): \(error.description)")
        }
    }
}
