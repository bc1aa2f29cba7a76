import Foundation
@testable import VectorIndex

/// Shared fixtures: structured vectors and exact ground truth, built once per test process.
enum Fixture {
    /// Recall@k of `found` against exact neighbour row numbers `truth` (ids are row numbers).
    static func recall(found: [[UInt64]], truth: [[Int]], k: Int) -> Double {
        var hits = 0
        for (f, t) in zip(found, truth) {
            let expected = Set(t.prefix(k).map { UInt64($0) })
            hits += f.filter { expected.contains($0) }.count
        }
        return Double(hits) / Double(truth.count * k)
    }

    static func rows(_ flat: [Float], dimension: Int) -> [[Float]] {
        (0..<(flat.count / dimension)).map { Array(flat[($0 * dimension)..<(($0 + 1) * dimension)]) }
    }

    static func search(_ index: HNSWIndex, _ queries: [[Float]], k: Int, ef: Int) throws -> [[UInt64]] {
        try queries.map { try index.search($0, k: k, ef: ef).map(\.id) }
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hnsw-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A structured data set with its index and ground truth.
    struct DataSet: Sendable {
        let dimension: Int
        let base: [Float]
        let queries: [[Float]]
        let truth: [[Int]]
        let index: HNSWIndex
        let buildSeconds: Double
    }

    static func makeDataSet(count: Int, dimension: Int, queryCount: Int, metric: VectorMetric = .innerProduct,
                            parameters: HNSWParameters = HNSWParameters(), scaled: Bool = false) throws(HNSWError) -> DataSet {
        let generator = StructuredVectors(dimension: dimension, seed: 7)
        var base = generator.sample(count: count, stream: 0)
        if scaled {
            // Rows of different lengths, so cosine, inner product and L2 rank differently.
            for row in 0..<count {
                let factor = Float(0.5 + 1.5 * (Double(row) * 0.618_033_988_7).truncatingRemainder(dividingBy: 1))
                for j in 0..<dimension { base[row * dimension + j] *= factor }
            }
        }
        let queryFlat = generator.sample(count: queryCount, stream: 1)
        let truth = ExactSearch.nearest(base: base, queries: queryFlat, dimension: dimension, k: 10, metric: metric,
                                        threads: ProcessInfo.processInfo.activeProcessorCount)
        let index = try HNSWIndex(dimension: dimension, metric: metric, parameters: parameters)
        let start = Date()
        try index.add(ids: (0..<count).map { UInt64($0) }, flatVectors: base, threads: ProcessInfo.processInfo.activeProcessorCount)
        let seconds = Date().timeIntervalSince(start)
        return DataSet(dimension: dimension, base: base, queries: rows(queryFlat, dimension: dimension),
                       truth: truth, index: index, buildSeconds: seconds)
    }

    /// 20k × 576 (the SmolLM2 embedding width), built once and shared by several tests.
    static let large: Result<DataSet, HNSWError> = {
        do throws(HNSWError) {
            let set = try makeDataSet(count: 20_000, dimension: 576, queryCount: 200)
            print("note: built 20k × 576 HNSW fixture in \(String(format: "%.1f", set.buildSeconds)) s (debug build)")
            return .success(set)
        } catch { return .failure(error) }
    }()
}
