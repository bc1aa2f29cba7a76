import Foundation
import Testing
@testable import VectorIndex

/// Recall@10 against exact brute force on the issue's structured vectors (M=16, efC=200, ef=64).
@Suite struct RecallTests {
    @Test func recallAtDimension64() throws {
        let set = try Fixture.makeDataSet(count: 20_000, dimension: 64, queryCount: 200)
        let found = try Fixture.search(set.index, set.queries, k: 10, ef: 64)
        let recall = Fixture.recall(found: found, truth: set.truth, k: 10)
        print("note: d=64 20k build \(String(format: "%.1f", set.buildSeconds)) s, recall@10 \(recall)")
        #expect(recall >= 0.98)
    }

    @Test func recallAtDimension576() throws {
        let set = try Fixture.large.get()
        let found = try Fixture.search(set.index, set.queries, k: 10, ef: 64)
        let recall = Fixture.recall(found: found, truth: set.truth, k: 10)
        print("note: d=576 recall@10 \(recall)")
        #expect(recall >= 0.98)
    }

    @Test(arguments: [VectorMetric.cosine, .l2])
    func otherMetricsRecallAndScores(metric: VectorMetric) throws {
        let set = try Fixture.makeDataSet(count: 3000, dimension: 32, queryCount: 100, metric: metric, scaled: true)
        let found = try Fixture.search(set.index, set.queries, k: 10, ef: 64)
        #expect(Fixture.recall(found: found, truth: set.truth, k: 10) >= 0.98)
        let rows = Fixture.rows(set.base, dimension: set.dimension)
        for q in set.queries.prefix(5) {
            for hit in try set.index.search(q, k: 3) {
                let expected = ReferenceDistance.score(q, rows[Int(hit.id)], metric: metric)
                #expect(abs(Double(hit.score) - expected) < 1e-4, "\(metric) score of \(hit.id)")
            }
        }
    }

    @Test func float16StorageKeepsRecall() throws {
        let set = try Fixture.makeDataSet(count: 5000, dimension: 64, queryCount: 100,
                                          parameters: HNSWParameters(storage: .float16))
        let found = try Fixture.search(set.index, set.queries, k: 10, ef: 64)
        let recall = Fixture.recall(found: found, truth: set.truth, k: 10)
        #expect(recall >= 0.97, "f16 recall \(recall)")
        // f32 vectors plus layer-0 links alone would take 5000 × (256 + 132) bytes; f16 saves 128 per row.
        #expect(set.index.memoryBytes < 5000 * (64 * 4 + 33 * 4), "f16 vectors take half the f32 bytes")
    }

    @Test func filterReturnsOnlyAcceptedIDsAndFindsTheirNeighbours() throws {
        let set = try Fixture.makeDataSet(count: 4000, dimension: 32, queryCount: 50)
        let evenRows = stride(from: 0, to: 4000, by: 2).map { $0 }
        var evenFlat: [Float] = []
        for r in evenRows { evenFlat += set.base[(r * 32)..<((r + 1) * 32)] }
        let truth = ExactSearch.nearest(base: evenFlat, queries: set.queries.flatMap { $0 }, dimension: 32, k: 10,
                                        metric: .innerProduct).map { $0.map { evenRows[$0] } }
        let found = try set.queries.map { try set.index.search($0, k: 10, ef: 64, filter: { $0 % 2 == 0 }).map(\.id) }
        #expect(found.allSatisfy { $0.allSatisfy { $0 % 2 == 0 } && $0.count == 10 })
        #expect(Fixture.recall(found: found, truth: truth, k: 10) >= 0.95)
    }

    @Test func structuredVectorsAreNormalisedAndSeeded() {
        let a = StructuredVectors(dimension: 48, seed: 1).sample(count: 50, stream: 0)
        let b = StructuredVectors(dimension: 48, seed: 1).sample(count: 50, stream: 0)
        let c = StructuredVectors(dimension: 48, seed: 1).sample(count: 50, stream: 1)
        #expect(a == b)
        #expect(a != c)
        for row in Fixture.rows(a, dimension: 48) {
            #expect(abs(ReferenceDistance.dot(row, row) - 1) < 1e-5)
        }
    }
}
