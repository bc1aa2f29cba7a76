import Dispatch

/// Neighbour lists chosen for one new node, per level (index 0 = layer 0).
private struct InsertionPlan {
    var neighbours: [[UInt32]]
}

/// A reverse link to add: `source` (new) into `target`'s list at `level`.
private struct ReverseLink {
    var target: UInt32
    var level: UInt32
    var source: UInt32
}

extension HNSWGraph {
    /// How many of the next insertions are planned against the same frozen graph. A function
    /// of the graph size only — never of the thread count — so the graph is the same whether
    /// built on one core or many. Small while the graph is small (where one batch would be a
    /// large share of it), at most 256 once it has 4096 nodes.
    static func batchSize(existing: Int) -> Int { max(1, min(256, existing / 16)) }

    /// Inserts `newCount` prepared vectors (row-major f32, normalised for cosine) with `newIDs`.
    ///
    /// Deterministic parallel construction: nodes are inserted in batches. Within a batch,
    /// (1) every node searches the graph as it was before the batch (read-only, so in parallel)
    /// and also considers, exactly, the batch's earlier nodes; it then picks its neighbours with
    /// the heuristic; (2) the reverse links are applied grouped by target node, each target's
    /// updates in insertion order (targets are independent, so in parallel); (3) the entry point
    /// is updated in order. Nothing depends on which thread did what.
    func insert(vectors input: UnsafePointer<Float>, ids newIDs: [UInt64], threads: Int) {
        let newCount = newIDs.count
        guard newCount > 0 else { return }
        let start = count
        let end = start + newCount
        var newLevels = [Int](repeating: 0, count: newCount)
        var newUpperBlocks = 0
        for i in 0..<newCount {
            newLevels[i] = drawLevel(node: start + i)
            newUpperBlocks += newLevels[i]
        }
        reserve(nodes: end, upperBlocks: upperBlockCount + newUpperBlocks, exact: newCount > 1 || capacity == 0)
        ensureIDMap()

        // Store vectors, ids, levels; empty link lists (the new nodes are unreachable until linked).
        let levelPtr = levels.typed(UInt8.self)
        let offsetPtr = upperOffsets.typed(UInt32.self)
        let idPtr = ids.typed(UInt64.self)
        let tombPtr = tombstones.typed(UInt8.self)
        for i in 0..<newCount {
            let node = start + i
            let source = input + i * dimension
            let raw = vectors.base! + node * bytesPerVector
            if parameters.storage == .float32 {
                raw.assumingMemoryBound(to: Float.self).update(from: source, count: dimension)
            } else {
                let half = raw.assumingMemoryBound(to: Float16.self)
                for j in 0..<dimension { half[j] = Float16(source[j]) }
            }
            idPtr[node] = newIDs[i]
            levelPtr[node] = UInt8(newLevels[i])
            tombPtr[node] = 0
            offsetPtr[node] = UInt32(upperBlockCount)
            (level0.typed(UInt32.self) + node * level0Stride).pointee = 0
            for l in 0..<newLevels[i] { (upperLinks.typed(UInt32.self) + (upperBlockCount + l) * upperStride).pointee = 0 }
            upperBlockCount += newLevels[i]
            idMap![newIDs[i]] = UInt32(node)
        }
        count = end

        let workers = max(1, threads)
        let scratches = (0..<workers).map { _ in SearchScratch(dimension: dimension, nodeCapacity: end, maxLinks: m0) }
        var batchStart = start
        while batchStart < end {
            let batchEnd = min(end, batchStart + HNSWGraph.batchSize(existing: batchStart))
            insertBatch(
                nodes: batchStart..<batchEnd, sources: input + (batchStart - start) * dimension,
                scratches: scratches)
            batchStart = batchEnd
        }
    }

    private func insertBatch(nodes: Range<Int>, sources: UnsafePointer<Float>, scratches: [SearchScratch]) {
        let batch = nodes.count
        let plans = ResultSlots<InsertionPlan>(count: batch)
        let frozenEntry = entryPoint
        let frozenMaxLevel = maxLevel
        let context = distances()
        let workers = min(scratches.count, batch)
        let sourceBox = UnsafeSendablePointer(sources)
        let graph = UncheckedGraph(self)
        let scratchBox = UncheckedScratches(scratches)

        // Phase 1: plan every node's neighbours against the frozen graph (read-only).
        parallel(workers) { w in
            let graph = graph.graph
            let scratch = scratchBox.scratches[w]
            var item = w
            while item < batch {
                let node = UInt32(nodes.lowerBound + item)
                let query = UnsafePointer(sourceBox.pointer + item * graph.dimension)
                plans.set(item, graph.plan(
                    node: node, query: query, batchStart: nodes.lowerBound, frozenEntry: frozenEntry,
                    frozenMaxLevel: frozenMaxLevel, scratch: scratch, context: context))
                item += workers
            }
        }

        // Phase 2a: each new node's own lists.
        var reverse: [ReverseLink] = []
        let planned = plans.values
        for item in 0..<batch {
            let node = UInt32(nodes.lowerBound + item)
            for (level, chosen) in planned[item].neighbours.enumerated() {
                let block = links(node, level: level)
                block[0] = UInt32(chosen.count)
                for (i, neighbour) in chosen.enumerated() {
                    block[i + 1] = neighbour
                    reverse.append(ReverseLink(target: neighbour, level: UInt32(level), source: node))
                }
            }
        }
        // Phase 2b: reverse links, grouped by (target, level), each group in insertion order.
        reverse.sort { ($0.target, $0.level, $0.source) < ($1.target, $1.level, $1.source) }
        var groupStarts: [Int] = []
        for i in reverse.indices where i == 0 || reverse[i].target != reverse[i - 1].target || reverse[i].level != reverse[i - 1].level {
            groupStarts.append(i)
        }
        groupStarts.append(reverse.count)
        let groupCount = groupStarts.count - 1
        reverse.withUnsafeBufferPointer { reverseBuffer in
            let links = UnsafeSendablePointer(reverseBuffer.baseAddress ?? UnsafePointer(bitPattern: 8)!)
            let starts = groupStarts
            let applyWorkers = max(1, min(workers, groupCount / 64 + 1))
            parallel(applyWorkers) { w in
                let graph = graph.graph
                let scratch = scratchBox.scratches[w]
                var group = w
                while group < groupCount {
                    let first = links.pointer[starts[group]]
                    for i in starts[group]..<starts[group + 1] {
                        graph.addReverseLink(
                            target: first.target, level: Int(first.level), source: links.pointer[i].source,
                            scratch: scratch, context: context)
                    }
                    group += applyWorkers
                }
            }
        }
        // Phase 3: entry point, in insertion order.
        for node in nodes where level(of: UInt32(node)) > maxLevel || entryPoint == HNSWGraph.noNode {
            maxLevel = level(of: UInt32(node))
            entryPoint = UInt32(node)
        }
    }

    /// Phase 1 for one node: descend the frozen graph, search each of its levels with
    /// efConstruction, add the batch's earlier nodes exactly, and select neighbours.
    fileprivate func plan(
        node: UInt32, query: UnsafePointer<Float>, batchStart: Int, frozenEntry: UInt32, frozenMaxLevel: Int,
        scratch: SearchScratch, context: DistanceContext
    ) -> InsertionPlan {
        let nodeLevel = level(of: node)
        var perLevel = [[Candidate]](repeating: [], count: nodeLevel + 1)
        if frozenEntry != HNSWGraph.noNode {
            var current = frozenEntry
            var currentDistance = context.distance(query, current)
            var lc = frozenMaxLevel
            while lc > nodeLevel {
                (current, currentDistance) = greedyClosest(
                    query: query, start: current, startDistance: currentDistance, level: lc, context: context)
                lc -= 1
            }
            lc = min(nodeLevel, frozenMaxLevel)
            while lc >= 0 {
                searchLayer(
                    query: query, entry: current, entryDistance: currentDistance, ef: parameters.efConstruction,
                    level: lc, acceptance: .everything, scratch: scratch, context: context)
                let found = sortedResults(scratch)
                perLevel[lc] = found
                if let nearest = found.first { (current, currentDistance) = (nearest.node, nearest.distance) }
                lc -= 1
            }
        }
        for earlier in batchStart..<Int(node) {
            let other = UInt32(earlier)
            let top = min(level(of: other), nodeLevel)
            let d = context.distance(query, other)
            for lc in 0...top { perLevel[lc].append(Candidate(distance: d, node: other)) }
        }
        var plan = InsertionPlan(neighbours: [])
        plan.neighbours.reserveCapacity(nodeLevel + 1)
        for lc in 0...nodeLevel {
            var candidates = perLevel[lc]
            if Int(node) > batchStart {
                candidates.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.node < $1.node) }
                if candidates.count > parameters.efConstruction { candidates.removeLast(candidates.count - parameters.efConstruction) }
            }
            let chosen = selectNeighbors(candidates, maxCount: m, scratch: scratch, context: context)
            plan.neighbours.append(chosen.map(\.node))
        }
        return plan
    }

    /// Adds `source` to `target`'s list at `level`; when the list is full, re-selects the list
    /// with the heuristic among the old neighbours and the new one.
    fileprivate func addReverseLink(
        target: UInt32, level: Int, source: UInt32, scratch: SearchScratch, context: DistanceContext
    ) {
        let block = links(target, level: level)
        let n = Int(block[0])
        let limit = level == 0 ? m0 : m
        if n < limit {
            block[n + 1] = source
            block[0] = UInt32(n + 1)
            return
        }
        // The target's vector as the query; decoded copies go to `scratch.query` (not
        // `scratch.decoded`, which the heuristic uses for the candidates).
        let targetVector = vectorAsFloat(target, buffer: scratch.query)
        var candidates = scratch.selection
        candidates.removeAll(keepingCapacity: true)
        candidates.append(Candidate(distance: context.distance(targetVector, source), node: source))
        for i in 1..<(n + 1) {
            candidates.append(Candidate(distance: context.distance(targetVector, block[i]), node: block[i]))
        }
        candidates.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.node < $1.node) }
        let chosen = selectNeighbors(candidates, maxCount: limit, scratch: scratch, context: context)
        block[0] = UInt32(chosen.count)
        for (i, c) in chosen.enumerated() { block[i + 1] = c.node }
        scratch.selection = candidates
    }
}

/// Runs `body(worker)` for `workers` workers, in parallel when more than one.
func parallel(_ workers: Int, _ body: @Sendable (Int) -> Void) {
    if workers <= 1 {
        body(0)
    } else {
        DispatchQueue.concurrentPerform(iterations: workers, execute: body)
    }
}

/// Lets build workers share the graph. Safe because phase 1 only reads it and phase 2 writes
/// only the link blocks of the worker's own target nodes (disjoint).
struct UncheckedGraph: @unchecked Sendable {
    let graph: HNSWGraph
    init(_ graph: HNSWGraph) { self.graph = graph }
}

/// Per-worker scratch; worker `w` uses only element `w`.
struct UncheckedScratches: @unchecked Sendable {
    let scratches: [SearchScratch]
    init(_ scratches: [SearchScratch]) { self.scratches = scratches }
}
