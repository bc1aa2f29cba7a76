import Foundation
import Testing
@testable import VectorIndex

@Suite struct ConcurrencyTests {
    /// Parallel searches while another task adds and removes: every search must return a
    /// well-formed answer, and afterwards every added vector is findable.
    @Test func parallelSearchesWithConcurrentAdds() async throws {
        let dim = 32
        let generator = StructuredVectors(dimension: dim, seed: 21)
        let base = generator.sample(count: 6000, stream: 0)
        let queries = Fixture.rows(generator.sample(count: 50, stream: 1), dimension: dim)
        let index = try HNSWIndex(dimension: dim, metric: .innerProduct)
        try index.add(ids: (0..<4000).map { UInt64($0) }, flatVectors: Array(base[0..<(4000 * dim)]), threads: 2)

        let badAnswers = try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                for row in 4000..<6000 {
                    try index.add(id: UInt64(row), vector: Array(base[(row * dim)..<((row + 1) * dim)]))
                    if row % 100 == 0 { index.remove(id: UInt64(row - 4000)) }
                }
                return 0
            }
            for worker in 0..<4 {
                group.addTask {
                    var bad = 0
                    for round in 0..<60 {
                        let hits = try index.search(queries[(worker * 13 + round) % queries.count], k: 10)
                        let ids = hits.map(\.id)
                        if hits.count != 10 || Set(ids).count != 10 || ids.contains(where: { $0 >= 6000 }) { bad += 1 }
                        if zip(hits, hits.dropFirst()).contains(where: { $0.score < $1.score }) { bad += 1 }
                    }
                    return bad
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(badAnswers == 0)
        #expect(index.count == 6000 - 20)
        for row in stride(from: 4000, to: 6000, by: 40) {
            #expect(try index.search(Array(base[(row * dim)..<((row + 1) * dim)]), k: 1).first?.id == UInt64(row))
        }
    }
}
