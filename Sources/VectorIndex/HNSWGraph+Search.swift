/// Which nodes may appear in results (all nodes are still traversed, so filtered-out and deleted
/// nodes keep the graph connected).
struct ResultAcceptance {
    let tombstones: UnsafePointer<UInt8>?
    let ids: UnsafePointer<UInt64>?
    let filter: ((UInt64) -> Bool)?

    static var everything: ResultAcceptance { ResultAcceptance(tombstones: nil, ids: nil, filter: nil) }

    @inline(__always) var acceptsEverything: Bool { tombstones == nil && filter == nil }

    @inline(__always) func accepts(_ node: UInt32) -> Bool {
        if let tombstones, tombstones[Int(node)] != 0 { return false }
        if let filter, let ids { return filter(ids[Int(node)]) }
        return true
    }
}

extension HNSWGraph {
    /// Greedy walk on one upper layer (ef = 1): moves to any nearer neighbour until none is.
    func greedyClosest(
        query: UnsafePointer<Float>, start: UInt32, startDistance: Float, level: Int, context: DistanceContext
    ) -> (node: UInt32, distance: Float) {
        var current = start
        var currentDistance = startDistance
        var changed = true
        while changed {
            changed = false
            let block = links(current, level: level)
            let n = Int(block[0])
            for i in 1..<(n + 1) { context.prefetch(block[i]) }
            for i in 1..<(n + 1) {
                let candidate = block[i]
                let d = context.distance(query, candidate)
                if d < currentDistance {
                    currentDistance = d
                    current = candidate
                    changed = true
                }
            }
        }
        return (current, currentDistance)
    }

    /// Algorithm 2 of the paper (SEARCH-LAYER) on one layer, keeping the `ef` nearest accepted
    /// nodes in `scratch.results` (keys are negated distances: a max-heap on a min-heap).
    ///
    /// Follows hnswlib's handling of filters: rejected nodes are expanded but not kept, and
    /// the stopping rule only applies once `ef` accepted results are held.
    func searchLayer(
        query: UnsafePointer<Float>, entry: UInt32, entryDistance: Float, ef: Int, level: Int,
        acceptance: ResultAcceptance, scratch: SearchScratch, context: DistanceContext
    ) {
        let stamp = scratch.beginQuery(nodeCount: count)
        let visited = scratch.visited
        let pending = scratch.pending
        var candidates = scratch.candidates
        var results = scratch.results
        candidates.removeAll()
        results.removeAll()
        defer {
            scratch.candidates = candidates
            scratch.results = results
        }
        let checkAcceptance = !acceptance.acceptsEverything
        visited[Int(entry)] = stamp
        var bound = Float.infinity
        if !checkAcceptance || acceptance.accepts(entry) {
            results.push(Candidate(distance: -entryDistance, node: entry))
            bound = entryDistance
        }
        candidates.push(Candidate(distance: entryDistance, node: entry))
        let level0Base = level0.typed(UInt32.self)
        while !candidates.isEmpty {
            let current = candidates.top
            if current.distance > bound && (results.count >= ef || !checkAcceptance) { break }
            candidates.pop()
            let block = level == 0
                ? level0Base + Int(current.node) * level0Stride
                : links(current.node, level: level)
            let n = Int(block[0])
            // Collect the unvisited neighbours first and prefetch their vectors, so the memory
            // fetches overlap instead of stalling one distance computation at a time.
            var pendingCount = 0
            for i in 1..<(n + 1) {
                let neighbour = block[i]
                if visited[Int(neighbour)] != stamp {
                    visited[Int(neighbour)] = stamp
                    pending[pendingCount] = neighbour
                    pendingCount += 1
                    context.prefetchHead(neighbour)
                }
            }
            if pendingCount > 0 { context.prefetch(pending[0]) }
            for i in 0..<pendingCount {
                let neighbour = pending[i]
                if i + 1 < pendingCount { context.prefetch(pending[i + 1]) }
                let d = context.distance(query, neighbour)
                if results.count < ef || d < bound {
                    candidates.push(Candidate(distance: d, node: neighbour))
                    if !checkAcceptance || acceptance.accepts(neighbour) {
                        results.push(Candidate(distance: -d, node: neighbour))
                        if results.count > ef { results.pop() }
                    }
                    if !results.isEmpty { bound = -results.top.distance }
                }
            }
        }
    }

    /// The results of the last `searchLayer`, nearest first (ties by node number).
    func sortedResults(_ scratch: SearchScratch) -> [Candidate] {
        var out = scratch.results.elements().map { Candidate(distance: -$0.distance, node: $0.node) }
        out.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.node < $1.node) }
        return out
    }

    /// k-nearest search for a prepared query (normalised for cosine).
    func search(
        query: UnsafePointer<Float>, k: Int, ef: Int, acceptance: ResultAcceptance, scratch: SearchScratch
    ) -> [Candidate] {
        guard entryPoint != HNSWGraph.noNode, k > 0 else { return [] }
        let context = distances()
        var current = entryPoint
        var currentDistance = context.distance(query, current)
        var level = maxLevel
        while level > 0 {
            (current, currentDistance) = greedyClosest(
                query: query, start: current, startDistance: currentDistance, level: level, context: context)
            level -= 1
        }
        searchLayer(
            query: query, entry: current, entryDistance: currentDistance, ef: max(ef, k), level: 0,
            acceptance: acceptance, scratch: scratch, context: context)
        var out = sortedResults(scratch)
        if out.count > k { out.removeLast(out.count - k) }
        return out
    }

    /// Algorithm 4 of the paper (SELECT-NEIGHBORS-HEURISTIC, without extending candidates):
    /// walk candidates nearest first and keep one only if it is nearer to the base point than to
    /// every neighbour already kept — this spreads links across directions, which keeps the graph
    /// navigable across clusters. `candidates` must be sorted nearest first.
    func selectNeighbors(
        _ candidates: [Candidate], maxCount: Int, scratch: SearchScratch, context: DistanceContext
    ) -> [Candidate] {
        scratch.selected.removeAll(keepingCapacity: true)
        scratch.pruned.removeAll(keepingCapacity: true)
        for candidate in candidates {
            if scratch.selected.count >= maxCount { break }
            let asQuery = vectorAsFloat(candidate.node, buffer: scratch.decoded)
            var keep = true
            for kept in scratch.selected where context.distance(asQuery, kept.node) < candidate.distance {
                keep = false
                break
            }
            if keep { scratch.selected.append(candidate) } else { scratch.pruned.append(candidate) }
        }
        if parameters.keepPrunedConnections {
            for candidate in scratch.pruned where scratch.selected.count < maxCount {
                scratch.selected.append(candidate)
            }
        }
        return scratch.selected
    }
}
