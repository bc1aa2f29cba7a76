import Foundation
import Testing
@testable import VectorIndex

@Suite struct GraphTests {
    /// Algorithm 4 on a hand-made 2-D configuration (L2, base point at the origin):
    /// a=(1,0) is kept; b=(1.2,0.3) is nearer to a (0.13) than to the origin (1.53) → pruned;
    /// c=(0,1.5) is nearer to the origin (2.25) than to a (3.25) → kept;
    /// d=(-2,0): origin 4, a 9, c 6.25 → kept; e=(0.1,2.2): origin 4.85 > c 0.5 → pruned.
    @Test func heuristicSelectionMatchesHandComputedExample() throws {
        let graph = HNSWGraph(dimension: 2, metric: .l2, parameters: HNSWParameters(m: 4))
        let points: [Float] = [1, 0, 1.2, 0.3, 0, 1.5, -2, 0, 0.1, 2.2]
        points.withUnsafeBufferPointer { graph.insert(vectors: $0.baseAddress!, ids: [10, 11, 12, 13, 14], threads: 1) }
        let origin: [Float] = [0, 0]
        let context = graph.distances()
        var candidates = origin.withUnsafeBufferPointer { q in
            (0..<5).map { Candidate(distance: context.distance(q.baseAddress!, UInt32($0)), node: UInt32($0)) }
        }
        candidates.sort { $0.distance < $1.distance }
        let scratch = SearchScratch(dimension: 2, nodeCapacity: 5, maxLinks: 8)
        let chosen = graph.selectNeighbors(candidates, maxCount: 4, scratch: scratch, context: context).map(\.node)
        #expect(chosen == [0, 2, 3])
        let capped = graph.selectNeighbors(candidates, maxCount: 2, scratch: scratch, context: context).map(\.node)
        #expect(capped == [0, 2])
    }

    @Test func sameSeedAndOrderGiveIdenticalFilesForAnyThreadCount() throws {
        let dim = 24
        let flat = StructuredVectors(dimension: dim, seed: 3).sample(count: 3000, stream: 0)
        let ids = (0..<3000).map { UInt64($0) * 7 }
        let dir = Fixture.temporaryDirectory()
        var files: [Data] = []
        for (threads, seed) in [(1, UInt64(5)), (2, 5), (4, 5), (2, 6)] {
            let index = try HNSWIndex(dimension: dim, metric: .innerProduct, parameters: HNSWParameters(seed: seed))
            try index.add(ids: ids, flatVectors: flat, threads: threads)
            let url = dir.appendingPathComponent("t\(threads)-s\(seed).hnsw")
            try index.save(to: url, modelIdentity: "m")
            files.append(try Data(contentsOf: url))
        }
        #expect(files[0] == files[1], "1 vs 2 threads")
        #expect(files[0] == files[2], "1 vs 4 threads")
        #expect(files[0] != files[3], "another seed draws other levels")
    }

    @Test func deletedIDsAreNeverReturnedAndRebuildCompacts() throws {
        let set = try Fixture.makeDataSet(count: 5000, dimension: 32, queryCount: 100)
        let index = set.index
        for id in stride(from: UInt64(0), to: 5000, by: 3) { #expect(index.remove(id: id)) }
        #expect(!index.remove(id: 0), "second removal reports absence")
        #expect(index.count == 5000 - 1667)
        let liveRows = (0..<5000).filter { $0 % 3 != 0 }
        var liveFlat: [Float] = []
        for r in liveRows { liveFlat += set.base[(r * 32)..<((r + 1) * 32)] }
        let truth = ExactSearch.nearest(base: liveFlat, queries: set.queries.flatMap { $0 }, dimension: 32, k: 10,
                                        metric: .innerProduct).map { $0.map { liveRows[$0] } }
        let found = try Fixture.search(index, set.queries, k: 10, ef: 64)
        #expect(found.allSatisfy { $0.allSatisfy { $0 % 3 != 0 } })
        #expect(Fixture.recall(found: found, truth: truth, k: 10) >= 0.97)

        // Tombstones survive save and load.
        let url = Fixture.temporaryDirectory().appendingPathComponent("deleted.hnsw")
        try index.save(to: url, modelIdentity: "m")
        let loaded = try HNSWIndex.load(from: url)
        #expect(loaded.count == index.count)
        #expect(try Fixture.search(loaded, set.queries, k: 10, ef: 64).allSatisfy { $0.allSatisfy { $0 % 3 != 0 } })

        index.rebuild(threads: 2)
        #expect(index.nodeCount == liveRows.count)
        let rebuilt = try Fixture.search(index, set.queries, k: 10, ef: 64)
        #expect(rebuilt.allSatisfy { $0.allSatisfy { $0 % 3 != 0 } })
        #expect(Fixture.recall(found: rebuilt, truth: truth, k: 10) >= 0.98)
    }

    @Test func invalidInputsThrowInsteadOfTrapping() throws {
        let index = try HNSWIndex(dimension: 4, metric: .cosine)
        #expect(throws: HNSWError.self) { try index.add(id: 1, vector: [1, 2, 3]) }
        #expect(throws: HNSWError.self) { try index.add(id: 1, vector: [0, 0, 0, 0]) }
        #expect(throws: HNSWError.self) { try index.add(id: 1, vector: [1, .nan, 0, 0]) }
        try index.add(id: 1, vector: [1, 0, 0, 0])
        #expect(throws: HNSWError.self) { try index.add(id: 1, vector: [0, 1, 0, 0]) }
        #expect(throws: HNSWError.self) { try index.search([1, 0], k: 1) }
        #expect(throws: HNSWError.self) { try HNSWIndex(dimension: 0) }
        #expect(throws: HNSWError.self) { try HNSWIndex(dimension: 4, parameters: HNSWParameters(m: 1)) }
        #expect(try index.search([0, 1, 0, 0], k: 5).map(\.id) == [1])
        let empty = try HNSWIndex(dimension: 4)
        #expect(try empty.search([1, 0, 0, 0], k: 5).isEmpty)
    }
}
