import ArgumentParser
import CSVIO
import Dispatch
import Foundation
import VectorIndex

/// `atcfix vectors bench`: build time, memory, recall@k and queries/s per ef, on raw f32 files
/// that peers (faiss, hnswlib) read too.
struct VectorsBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark HNSW build and search against exact brute-force ground truth.",
        discussion: CommandHelp.discussion(
            "recall@k per ef is the share of the exact (brute-force) k nearest neighbours the HNSW search returns.",
            examples: [
                "atcfix vectors bench --base /tmp/base.f32 --queries /tmp/queries.f32 --dim 64",
                "atcfix vectors bench --base base.f32 --queries q.f32 --dim 64 --k 10 --ef 16,64 --json",
            ]))

    @Option(help: "Base vectors, raw little-endian f32 row-major.") var base: String
    @Option(help: "Query vectors, same format.") var queries: String
    @Option(help: "Dimension (1...4096).") var dim: Int
    @Option(help: "Neighbours per query (1...1000).") var k: Int = 10
    @Option(help: "HNSW M (2...256).") var m: Int = 16
    @Option(name: .customLong("ef-construction"), help: "HNSW efConstruction (1...10000).") var efConstruction: Int = 200
    @Option(help: "Comma-separated efSearch values (each 1...10000).") var ef: String = "16,32,64,128"
    @Option(help: "Threads for build and search (1...256).") var threads: Int = 1
    @Option(help: "Metric: inner-product, cosine or l2.") var metric: String = "inner-product"
    @Option(help: "Storage: f32 or f16.") var storage: String = "f32"
    @Option(help: "Timed passes over the queries per ef; the median is reported (1...100).") var repeats: Int = 3
    @Option(help: "Level seed.") var seed: UInt64 = 100
    @Option(help: "Also save the built index to this file (inspect it with `vectors info`).") var save: String?
    @Option(help: "Load this index file instead of building one (build_s is then the load time).") var index: String?
    @Flag(help: "Print one JSON object (keys: build_s, build_cpu_s, memory_bytes, vectors_bytes, links_bytes, n, queries, dim, k, m, ef_construction, threads, results [{ef, recall, qps, qps_cpu}]).") var json = false

    func validate() throws {
        try OptionCheck.range("--dim", dim, 1...4_096)
        try OptionCheck.range("--k", k, 1...1_000)
        try OptionCheck.range("--m", m, 2...256)
        try OptionCheck.range("--ef-construction", efConstruction, 1...10_000)
        try OptionCheck.threads(threads)
        try OptionCheck.range("--repeats", repeats, 1...100)
        guard VectorMetric(name: metric) != nil else {
            throw ValidationError("--metric must be inner-product, cosine or l2 (got '\(metric)')")
        }
        guard storage == "f32" || storage == "f16" else { throw ValidationError("--storage must be f32 or f16 (got '\(storage)')") }
        _ = try efValues()
        if let save { do { _ = try OutputTarget.check(save, flag: "--save", inputs: [base, queries]) } catch { throw ValidationError(error.description) } }
    }

    private func efValues() throws -> [Int] {
        let values = try ef.split(separator: ",").map { part -> Int in
            guard let v = Int(part.trimmingCharacters(in: .whitespaces)), (1...10_000).contains(v) else {
                throw ValidationError("--ef values must be between 1 and 10000 (got '\(part)')")
            }
            return v
        }
        guard !values.isEmpty else { throw ValidationError("--ef must list at least one value between 1 and 10000 (got '\(ef)')") }
        return values
    }

    /// The `--json` report.
    struct Report: Encodable {
        struct Result: Encodable {
            var ef: Int
            var recall: Double?
            var qps: Double?
            var qpsCpu: Double?
        }
        var buildS: Double?
        var buildCpuS: Double?
        var memoryBytes: Int
        var vectorsBytes: Int
        var linksBytes: Int
        var n: Int
        var queries: Int
        var dim: Int
        var k: Int
        var m: Int
        var efConstruction: Int
        var threads: Int
        var results: [Result]
    }

    func run() throws {
        let metricValue = VectorMetric(name: metric)!
        let efs = try efValues()
        let baseVectors = try RawVectorFile.read(base, dimension: dim)
        let queryVectors = try RawVectorFile.read(queries, dimension: dim)
        let n = baseVectors.count / dim
        let nq = queryVectors.count / dim
        let workers = max(1, threads)

        let truth = ExactSearch.nearest(
            base: baseVectors, queries: queryVectors, dimension: dim, k: k, metric: metricValue,
            threads: ProcessInfo.processInfo.activeProcessorCount)

        let parameters = HNSWParameters(
            m: m, efConstruction: efConstruction, efSearch: efs.first ?? 64, seed: seed,
            storage: storage == "f16" ? .float16 : .float32)
        let clock = ContinuousClock()
        let buildStart = clock.now
        let buildCPUStart = processCPUSeconds()
        let index: HNSWIndex
        if let path = self.index {
            index = try HNSWIndex.load(from: URL(fileURLWithPath: path), expectedDimension: dim)
        } else {
            index = try HNSWIndex(dimension: dim, metric: metricValue, parameters: parameters)
            try index.add(ids: (0..<n).map { UInt64($0) }, flatVectors: baseVectors, threads: workers)
        }
        let buildSeconds = seconds(clock.now - buildStart)
        let buildCPUSeconds = processCPUSeconds() - buildCPUStart

        if let save {
            try index.save(to: URL(fileURLWithPath: save), modelIdentity: "bench:\((base as NSString).lastPathComponent)")
        }

        let querySets = (0..<nq).map { Array(queryVectors[($0 * dim)..<(($0 + 1) * dim)]) }
        var results: [(ef: Int, recall: Double, qps: Double, cpuQPS: Double)] = []
        for efValue in efs {
            var found = [[UInt64]](repeating: [], count: nq)
            var rates: [Double] = []
            var cpuRates: [Double] = []
            for _ in 0..<max(1, repeats) {
                let slots = FoundSlots(count: nq)
                let start = clock.now
                let cpuStart = processCPUSeconds()
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var q = w
                    while q < nq {
                        let hits = (try? index.search(querySets[q], k: k, ef: efValue)) ?? []
                        slots.set(q, hits.map(\.id))
                        q += workers
                    }
                }
                rates.append(Double(nq) / seconds(clock.now - start))
                cpuRates.append(Double(nq) / (processCPUSeconds() - cpuStart))
                found = slots.values
            }
            var hits = 0
            for q in 0..<nq {
                let expected = Set(truth[q].map { UInt64($0) })
                hits += found[q].filter { expected.contains($0) }.count
            }
            let recall = Double(hits) / Double(nq * min(k, n))
            results.append((efValue, recall, rates.sorted()[rates.count / 2], cpuRates.sorted()[cpuRates.count / 2]))
        }
        let vectorBytes = n * dim * parameters.storage.bytesPerElement
        let linkBytes = n * 2 * m * 4
        if json {
            try JSONOutput.print(Report(
                buildS: JSONOutput.score(buildSeconds), buildCpuS: JSONOutput.score(buildCPUSeconds), memoryBytes: index.memoryBytes,
                vectorsBytes: vectorBytes, linksBytes: linkBytes, n: n, queries: nq, dim: dim, k: k, m: m,
                efConstruction: efConstruction, threads: workers,
                results: results.map {
                    Report.Result(ef: $0.ef, recall: JSONOutput.score($0.recall), qps: JSONOutput.score($0.qps), qpsCpu: JSONOutput.score($0.cpuQPS))
                }))
        } else {
            print("n=\(n) queries=\(nq) dim=\(dim) metric=\(metricValue) M=\(m) efConstruction=\(efConstruction) threads=\(workers)")
            print("build: \(format(buildSeconds, 2)) s   memory: \(index.memoryBytes) bytes (vectors \(vectorBytes) + links \(linkBytes) = \(vectorBytes + linkBytes); ratio \(format(Double(index.memoryBytes) / Double(vectorBytes + linkBytes), 3)))")
            print("ef     recall@\(k)   queries/s")
            for r in results { print("\(String(r.ef).padding(toLength: 6, withPad: " ", startingAt: 0)) \(format(r.recall, 4))     \(format(r.qps, 0))") }
        }
    }

    /// CPU time of the whole process: on a shared, overloaded machine it measures the work done
    /// far more stably than wall time (with --threads 1 only one thread is busy while timing).
    private func processCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    private func format(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
}

/// Query results written by disjoint benchmark workers (each slot by exactly one worker).
final class FoundSlots: @unchecked Sendable {
    private var slots: [[UInt64]]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: [], count: count) }
    func set(_ i: Int, _ ids: [UInt64]) { lock.lock(); slots[i] = ids; lock.unlock() }
    var values: [[UInt64]] { lock.lock(); defer { lock.unlock() }; return slots }
}
