import Foundation
import Testing
@testable import VectorIndex

@Suite struct PersistenceTests {
    @Test func saveAndLoadGiveIdenticalResults() throws {
        let set = try Fixture.large.get()
        let url = Fixture.temporaryDirectory().appendingPathComponent("phrases.hnsw")
        try set.index.save(to: url, modelIdentity: "SmolLM2-135M-Instruct.Q4_1")
        let loaded = try HNSWIndex.load(from: url, expectedModelIdentity: "SmolLM2-135M-Instruct.Q4_1", expectedDimension: 576)
        #expect(loaded.modelIdentity == "SmolLM2-135M-Instruct.Q4_1")
        #expect(loaded.count == 20_000 && loaded.dimension == 576 && loaded.metric == .innerProduct)
        for q in set.queries {
            let a = try set.index.search(q, k: 10, ef: 64)
            let b = try loaded.search(q, k: 10, ef: 64)
            #expect(a.map(\.id) == b.map(\.id))
            #expect(a.map(\.score) == b.map(\.score))
        }
        // The file leaves no temporary behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
        #expect(leftovers == ["phrases.hnsw"])
    }

    @Test func mismatchedModelOrDimensionIsRefusedNamingTheFile() throws {
        let index = try HNSWIndex(dimension: 8)
        try index.add(ids: [1, 2], vectors: [[1, 0, 0, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0, 0, 0]])
        let url = Fixture.temporaryDirectory().appendingPathComponent("m.hnsw")
        try index.save(to: url, modelIdentity: "model-A")
        let model = #expect(throws: HNSWError.self) { try HNSWIndex.load(from: url, expectedModelIdentity: "model-B") }
        #expect(model?.kind == .modelMismatch)
        #expect(model?.message.contains(url.path) == true)
        let dim = #expect(throws: HNSWError.self) { try HNSWIndex.load(from: url, expectedDimension: 576) }
        #expect(dim?.kind == .dimensionMismatch)
        #expect(dim?.message.contains(url.path) == true)
        #expect(try HNSWIndex.load(from: url, expectedModelIdentity: "model-A", expectedDimension: 8).count == 2)
    }

    @Test func emptyIndexRoundTrips() throws {
        let url = Fixture.temporaryDirectory().appendingPathComponent("empty.hnsw")
        try HNSWIndex(dimension: 3, metric: .l2).save(to: url, modelIdentity: "")
        let loaded = try HNSWIndex.load(from: url, expectedDimension: 3)
        #expect(loaded.count == 0 && loaded.metric == .l2)
        #expect(try loaded.search([1, 2, 3], k: 4).isEmpty)
        try loaded.add(id: 9, vector: [1, 2, 3])
        #expect(try loaded.search([1, 2, 3], k: 4).map(\.id) == [9])
    }

    /// A small saved index for the corruption tests.
    func smallIndexFile() throws -> (URL, Data) {
        let dim = 16
        let flat = StructuredVectors(dimension: dim, seed: 4).sample(count: 600, stream: 0)
        let index = try HNSWIndex(dimension: dim, metric: .innerProduct, parameters: HNSWParameters(m: 8, efConstruction: 64))
        try index.add(ids: (0..<600).map { UInt64($0) }, flatVectors: flat, threads: 1)
        index.remove(id: 5)
        let url = Fixture.temporaryDirectory().appendingPathComponent("small.hnsw")
        try index.save(to: url, modelIdentity: "test-model")
        return (url, try Data(contentsOf: url))
    }

    @Test func truncatedFilesAreRejected() throws {
        let (url, bytes) = try smallIndexFile()
        for length in [0, 7, 100, 511, 512, 600, bytes.count / 2, bytes.count - 1] {
            try bytes.prefix(length).write(to: url)
            let error = #expect(throws: HNSWError.self) { try HNSWIndex.load(from: url) }
            #expect(error?.kind == .truncated || (length < 8 && error?.kind == .wrongMagic), "length \(length): \(String(describing: error))")
            #expect(error?.message.contains(url.path) == true)
        }
    }

    @Test func everyBitFlipIsRejected() throws {
        let (url, bytes) = try smallIndexFile()
        // Every 97th byte (covers header, each section and the vectors), one bit each.
        var rejected = 0, tried = 0
        for offset in stride(from: 0, to: bytes.count, by: 97) {
            var copy = bytes
            copy[offset] ^= UInt8(1 << (offset % 8))
            // Flips in alignment padding between sections are harmless and cannot be detected
            // by checksums; the format zero-fills padding, so skip offsets that are padding.
            if isPadding(offset, in: bytes) { continue }
            try copy.write(to: url)
            tried += 1
            do {
                _ = try HNSWIndex.load(from: url)
                Issue.record("bit flip at offset \(offset) was accepted")
            } catch {
                rejected += 1
                #expect(error.message.contains(url.path))
                #expect([.corrupted, .wrongMagic, .unsupportedVersion, .truncated].contains(error.kind))
            }
        }
        #expect(tried > 50 && rejected == tried)
        // The pristine bytes still load (so the rejections above were caused by the flips).
        try bytes.write(to: url)
        #expect(try HNSWIndex.load(from: url).count == 599)
    }

    /// Whether `offset` lies outside the header and every section.
    func isPadding(_ offset: Int, in bytes: Data) -> Bool {
        if offset < 512 { return false }
        for i in 0..<8 {
            let start = bytes.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: 96 + 24 * i, as: UInt64.self)) }
            let length = bytes.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: 104 + 24 * i, as: UInt64.self)) }
            if offset >= start && offset < start + length { return false }
        }
        return true
    }

    @Test func wrongMagicAndVersionAreRejected() throws {
        let (url, bytes) = try smallIndexFile()
        try Data("definitely not an index file, just some text here ...".utf8).write(to: url)
        #expect((#expect(throws: HNSWError.self) { try HNSWIndex.load(from: url) })?.kind == .wrongMagic)
        var future = bytes
        future[8] = 2   // version 2
        try future.write(to: url)
        #expect((#expect(throws: HNSWError.self) { try HNSWIndex.load(from: url) })?.kind == .unsupportedVersion)
        let missing = url.deletingLastPathComponent().appendingPathComponent("missing.hnsw")
        let io = #expect(throws: HNSWError.self) { try HNSWIndex.load(from: missing) }
        #expect(io?.kind == .io && io?.message.contains(missing.path) == true)
    }

    @Test func addsAfterLoadKeepRecall() throws {
        let dim = 64
        let generator = StructuredVectors(dimension: dim, seed: 11)
        let base = generator.sample(count: 12_000, stream: 0)
        let queries = Fixture.rows(generator.sample(count: 100, stream: 1), dimension: dim)
        let index = try HNSWIndex(dimension: dim, metric: .innerProduct)
        try index.add(ids: (0..<10_000).map { UInt64($0) }, flatVectors: Array(base[0..<(10_000 * dim)]), threads: 2)
        let url = Fixture.temporaryDirectory().appendingPathComponent("grow.hnsw")
        try index.save(to: url, modelIdentity: "m")
        let loaded = try HNSWIndex.load(from: url)
        // 1000 in one batch, then 1000 one at a time (the engine's incremental path).
        try loaded.add(ids: (10_000..<11_000).map { UInt64($0) }, flatVectors: Array(base[(10_000 * dim)..<(11_000 * dim)]), threads: 2)
        for row in 11_000..<12_000 {
            try loaded.add(id: UInt64(row), vector: Array(base[(row * dim)..<((row + 1) * dim)]))
        }
        #expect(loaded.count == 12_000)
        let truth = ExactSearch.nearest(base: base, queries: queries.flatMap { $0 }, dimension: dim, k: 10, metric: .innerProduct, threads: 2)
        let found = try Fixture.search(loaded, queries, k: 10, ef: 64)
        let recall = Fixture.recall(found: found, truth: truth, k: 10)
        #expect(recall >= 0.98, "recall after adds \(recall)")
        // Each added vector finds itself.
        for row in stride(from: 10_000, to: 12_000, by: 50) {
            let v = Array(base[(row * dim)..<((row + 1) * dim)])
            #expect(try loaded.search(v, k: 1).first?.id == UInt64(row))
        }
        // And the grown index round-trips.
        try loaded.save(to: url, modelIdentity: "m")
        #expect(try HNSWIndex.load(from: url).count == 12_000)
    }
}
