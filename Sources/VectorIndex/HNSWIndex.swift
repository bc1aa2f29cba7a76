import Foundation

/// A Hierarchical Navigable Small World index (Malkov & Yashunin, 2018) over f32 vectors with
/// 64-bit external ids (phrase rows), persisted as one memory-mapped file.
///
/// Concurrency: one reader/writer lock around the graph. Searches take it shared and run fully
/// in parallel; `add`, `remove` and `rebuild` take it exclusively. This was chosen over
/// per-node locks (hnswlib's design) because (1) the search loop stays lock-free — per-node
/// locks cost an atomic pair per expanded node even when nobody writes; (2) in atcfix writes are
/// rare (a build, then occasional phrase-table updates) while searches are constant; (3) a
/// batch add is itself parallel inside the exclusive section, and its deterministic batch
/// schedule would be lost if concurrent writers interleaved. The cost is that a large add blocks
/// searches until it finishes. Each search borrows a scratch (visited set, heaps) from a pool,
/// so searches allocate nothing once warmed up.
public final class HNSWIndex: @unchecked Sendable {
    /// Vector dimension.
    public let dimension: Int
    /// Distance metric.
    public let metric: VectorMetric
    /// Build and search parameters.
    public let parameters: HNSWParameters

    // Guarded by `lock`.
    private let lock = ReadWriteLock()
    private var graph: HNSWGraph
    private var loadedModelIdentity: String?

    private let poolLock = PlainMutex()
    private var scratchPool: [SearchScratch] = []

    /// An empty index.
    public init(dimension: Int, metric: VectorMetric = .cosine, parameters: HNSWParameters = HNSWParameters()) throws(HNSWError) {
        guard dimension > 0 && dimension <= 1 << 20 else {
            throw HNSWError(.invalidArgument, "dimension must be in 1...1048576 (got \(dimension))")
        }
        if let problem = parameters.validationProblem() { throw HNSWError(.invalidArgument, problem) }
        self.dimension = dimension
        self.metric = metric
        self.parameters = parameters
        graph = HNSWGraph(dimension: dimension, metric: metric, parameters: parameters)
    }

    private init(graph: HNSWGraph, modelIdentity: String) {
        dimension = graph.dimension
        metric = graph.metric
        parameters = graph.parameters
        self.graph = graph
        loadedModelIdentity = modelIdentity
    }

    /// Live (not deleted) vectors.
    public var count: Int { lock.reading { graph.liveCount } }

    /// Nodes in the graph including tombstones (shrinks only on `rebuild`).
    public var nodeCount: Int { lock.reading { graph.count } }

    /// The embedding-model identity stored in the file this index was loaded from.
    public var modelIdentity: String? { lock.reading { loadedModelIdentity } }

    /// Bytes held by the graph: vectors, links, ids, levels, tombstones and the id map.
    public var memoryBytes: Int { lock.reading { graph.memoryBytes } }

    /// Whether `id` is present and not deleted.
    public func contains(id: UInt64) -> Bool {
        lock.writing {   // may build the id map after a load
            graph.ensureIDMap()
            return graph.idMap![id] != nil
        }
    }

    /// Adds one vector. Throws on a wrong length, non-finite values, a zero vector under
    /// cosine, or an id that is already live.
    public func add(id: UInt64, vector: [Float]) throws(HNSWError) {
        try add(ids: [id], flatVectors: vector, threads: 1)
    }

    /// Adds vectors in one parallel, deterministic batch (see `HNSWGraph.insert`).
    public func add(ids: [UInt64], vectors: [[Float]], threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws(HNSWError) {
        guard ids.count == vectors.count else {
            throw HNSWError(.invalidArgument, "\(ids.count) ids but \(vectors.count) vectors")
        }
        var flat = [Float]()
        flat.reserveCapacity(vectors.count * dimension)
        for (i, v) in vectors.enumerated() {
            guard v.count == dimension else {
                throw HNSWError(.dimensionMismatch, "vector \(i) (id \(ids[i])) has \(v.count) elements, index dimension is \(dimension)")
            }
            flat.append(contentsOf: v)
        }
        try add(ids: ids, flatVectors: flat, threads: threads)
    }

    /// Adds `ids.count` vectors given row-major in `flatVectors`, building on `threads` cores.
    /// The resulting graph depends on the seed, the insertion order and how rows are grouped
    /// into calls, never on `threads`.
    public func add(ids: [UInt64], flatVectors: [Float], threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws(HNSWError) {
        guard flatVectors.count == ids.count * dimension else {
            throw HNSWError(.dimensionMismatch, "\(flatVectors.count) floats for \(ids.count) vectors of dimension \(dimension)")
        }
        // Only cosine rewrites the vectors; the other metrics validate in place, which avoids a
        // second copy of a large batch.
        var prepared = flatVectors
        if metric == .cosine {
            try prepared.withUnsafeMutableBufferPointer { buffer throws(HNSWError) in
                for row in 0..<ids.count {
                    try prepare(buffer.baseAddress! + row * dimension, what: "vector \(row) (id \(ids[row]))")
                }
            }
        } else {
            try prepared.withUnsafeBufferPointer { buffer throws(HNSWError) in
                for row in 0..<ids.count {
                    _ = try validatedSquaredNorm(buffer.baseAddress! + row * dimension, what: "vector \(row) (id \(ids[row]))")
                }
            }
        }
        var seen = Set<UInt64>(minimumCapacity: ids.count)
        for id in ids where !seen.insert(id).inserted {
            throw HNSWError(.duplicateID, "id \(id) appears twice in one add; ids must be unique")
        }
        try lock.writing { () throws(HNSWError) in
            graph.ensureIDMap()
            for id in ids where graph.idMap![id] != nil {
                throw HNSWError(.duplicateID, "id \(id) is already in the index; remove it first to replace its vector")
            }
            prepared.withUnsafeBufferPointer { buffer in
                graph.insert(vectors: buffer.baseAddress!, ids: ids, threads: max(1, threads))
            }
        }
    }

    /// Marks `id` deleted: searches never return it, it still routes searches until
    /// `rebuild`. Returns whether it was present.
    @discardableResult
    public func remove(id: UInt64) -> Bool {
        lock.writing {
            graph.ensureIDMap()
            guard let node = graph.idMap![id] else { return false }
            graph.idMap![id] = nil
            graph.tombstones.typed(UInt8.self)[Int(node)] = 1
            graph.deletedCount += 1
            return true
        }
    }

    /// Rebuilds the graph from the live vectors in their insertion order, dropping tombstones.
    public func rebuild(threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        lock.writing {
            let old = graph
            let fresh = HNSWGraph(dimension: dimension, metric: metric, parameters: parameters)
            var liveIDs: [UInt64] = []
            liveIDs.reserveCapacity(old.liveCount)
            var flat = [Float](repeating: 0, count: old.liveCount * dimension)
            flat.withUnsafeMutableBufferPointer { buffer in
                var row = 0
                for node in 0..<old.count where !old.isDeleted(UInt32(node)) {
                    old.decode(UInt32(node), into: buffer.baseAddress! + row * dimension)
                    liveIDs.append(old.id(of: UInt32(node)))
                    row += 1
                }
            }
            flat.withUnsafeBufferPointer { buffer in
                if !liveIDs.isEmpty { fresh.insert(vectors: buffer.baseAddress!, ids: liveIDs, threads: max(1, threads)) }
            }
            graph = fresh
        }
    }

    /// The `k` nearest live vectors to `query` that pass `filter`, nearest first, with their
    /// scores (similarity for cosine / inner product, squared distance for L2).
    ///
    /// - Parameters:
    ///   - ef: candidate list size (default `parameters.efSearch`; raised to `k`). Larger is
    ///     slower and more exact.
    ///   - filter: called with external ids; only ids it accepts are returned. Rejected nodes
    ///     are still traversed, so a very selective filter makes the search slower, not wrong.
    ///     It runs under the index's read lock, so it must not call `add`, `remove` or
    ///     `rebuild` on the same index.
    public func search(
        _ query: [Float], k: Int, ef: Int? = nil, filter: ((UInt64) -> Bool)? = nil
    ) throws(HNSWError) -> [(id: UInt64, score: Float)] {
        guard query.count == dimension else {
            throw HNSWError(.dimensionMismatch, "query has \(query.count) elements, index dimension is \(dimension)")
        }
        guard k >= 0 else { throw HNSWError(.invalidArgument, "k must not be negative (got \(k))") }
        let efValue = ef ?? parameters.efSearch
        guard efValue >= 1 else { throw HNSWError(.invalidArgument, "ef must be at least 1 (got \(efValue))") }
        let scratch = checkOutScratch()
        defer { checkInScratch(scratch) }
        try query.withUnsafeBufferPointer { q throws(HNSWError) in
            scratch.query.update(from: q.baseAddress!, count: dimension)
        }
        try prepare(scratch.query, what: "query")
        let sign: Float = metric == .l2 ? 1 : -1
        return lock.reading {
            let g = graph
            let acceptance = ResultAcceptance(
                tombstones: g.deletedCount > 0 ? UnsafePointer(g.tombstones.typed(UInt8.self)) : nil,
                ids: g.count > 0 ? UnsafePointer(g.ids.typed(UInt64.self)) : nil,
                filter: filter)
            let found = g.search(query: scratch.query, k: k, ef: efValue, acceptance: acceptance, scratch: scratch)
            return found.map { (id: g.id(of: $0.node), score: sign * $0.distance) }
        }
    }

    /// The stored vector of a live id (decoded from f16 if stored so; normalised under cosine).
    public func vector(id: UInt64) -> [Float]? {
        lock.writing {
            graph.ensureIDMap()
            guard let node = graph.idMap![id] else { return nil }
            var out = [Float](repeating: 0, count: dimension)
            out.withUnsafeMutableBufferPointer { graph.decode(node, into: $0.baseAddress!) }
            return out
        }
    }

    /// Writes the index to `url` atomically (temporary file in the same directory, fsync,
    /// rename, fsync of the directory): a crash leaves the previous file intact.
    /// `modelIdentity` names the embedding model so a mismatched index is refused at load.
    public func save(to url: URL, modelIdentity: String) throws(HNSWError) {
        try lock.reading { () throws(HNSWError) in
            try HNSWFileFormat.save(graph, modelIdentity: modelIdentity, to: url)
        }
    }

    /// Maps an index file and validates it (header, every section checksum, link bounds).
    /// Throws when the file is not an index, of another version, truncated, corrupted, or built
    /// for another model or dimension than expected; every message names the file.
    public static func load(
        from url: URL, expectedModelIdentity: String? = nil, expectedDimension: Int? = nil
    ) throws(HNSWError) -> HNSWIndex {
        let (graph, identity) = try HNSWFileFormat.load(
            path: url.path, expectedModelIdentity: expectedModelIdentity, expectedDimension: expectedDimension)
        return HNSWIndex(graph: graph, modelIdentity: identity)
    }

    // MARK: private

    /// Validates a vector in place and normalises it under cosine.
    private func prepare(_ v: UnsafeMutablePointer<Float>, what: String) throws(HNSWError) {
        let norm = try validatedSquaredNorm(UnsafePointer(v), what: what)
        if metric == .cosine {
            guard norm > 0 else { throw HNSWError(.invalidVector, "\(what) is all zeros; cosine needs a non-zero vector") }
            let scale = Float(1 / norm.squareRoot())
            for i in 0..<dimension { v[i] *= scale }
        }
    }

    /// Σ vᵢ², after checking every element is finite.
    private func validatedSquaredNorm(_ v: UnsafePointer<Float>, what: String) throws(HNSWError) -> Double {
        var norm: Double = 0
        for i in 0..<dimension {
            let x = v[i]
            guard x.isFinite else { throw HNSWError(.invalidVector, "\(what) has a non-finite value at element \(i)") }
            norm += Double(x) * Double(x)
        }
        return norm
    }

    private func checkOutScratch() -> SearchScratch {
        if let scratch = poolLock.locked({ scratchPool.popLast() }) { return scratch }
        return SearchScratch(dimension: dimension, nodeCapacity: 0, maxLinks: 2 * parameters.m)
    }

    private func checkInScratch(_ scratch: SearchScratch) {
        poolLock.locked { scratchPool.append(scratch) }
    }
}
