import CVectorKernels
import Foundation
import Support
import VectorIndex

/// Loads bytes as an HNSW index file and uses it: a search, an add (which writes into the
/// copy-on-write mapping) and a removal.
public struct HNSWProbe: Sendable {
    private let scratch: ScratchDirectory

    /// A probe writing its inputs into `scratch`.
    public init(scratch: ScratchDirectory) { self.scratch = scratch }

    /// Loads `bytes`.
    public func run(_ bytes: [UInt8]) -> ProbeOutcome {
        let path = scratch.write(bytes, to: "input.hnsw")
        do {
            let index = try HNSWIndex.load(from: URL(fileURLWithPath: path))
            guard index.dimension <= 4096 else { return .accepted }
            let query = (0..<index.dimension).map { Float($0 % 5) - 1.5 }
            let hits = try index.search(query, k: 5)
            try index.add(id: 1_000_000, vector: query.map { $0 + 0.25 })
            if let first = hits.first { _ = index.remove(id: first.id) }
            _ = try index.search(query, k: 3, ef: 16)
            return .accepted
        } catch {
            return .rejected(error.description)
        }
    }

    /// `bytes` with the header's and every in-file section's CRC-32C recomputed, so that a
    /// mutation gets past the checksums to the structural checks behind them (a forged file).
    public static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 512 else { return bytes }
        var sealed = bytes
        func read(_ offset: Int) -> UInt64 {
            (0..<8).reduce(UInt64(0)) { $0 | UInt64(sealed[offset + $1]) << (8 * UInt64($1)) }
        }
        func put(_ value: UInt32, at offset: Int) {
            for i in 0..<4 { sealed[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(i))) }
        }
        for section in 0..<8 {
            let offset = read(96 + 24 * section)
            let length = read(104 + 24 * section)
            guard offset <= UInt64(sealed.count), length <= UInt64(sealed.count) - offset else { continue }
            let crc = sealed.withUnsafeBytes { vk_crc32c(0, $0.baseAddress! + Int(offset), Int(length)) }
            put(crc, at: 112 + 24 * section)
        }
        put(sealed.withUnsafeBytes { vk_crc32c(0, $0.baseAddress, 508) }, at: 508)
        return sealed
    }

    /// Valid index files: cosine/f32 with removals, L2/f16, and an empty index.
    public static func seeds(scratch: ScratchDirectory) -> [[UInt8]] {
        var seeds: [[UInt8]] = []
        var random = SplitMix64(seed: 3)
        let settings: [(VectorMetric, VectorStorageFormat, Int, Int)] = [(.cosine, .float32, 8, 40), (.l2, .float16, 6, 25), (.cosine, .float32, 4, 0)]
        for (number, (metric, storage, dimension, count)) in settings.enumerated() {
            do {
                let index = try HNSWIndex(
                    dimension: dimension, metric: metric, parameters: HNSWParameters(m: 4, efConstruction: 16, efSearch: 8, storage: storage))
                let vectors = (0..<count).map { _ in (0..<dimension).map { _ in Float(random.nextGaussian()) } }
                try index.add(ids: (0..<count).map { UInt64($0) * 3 }, vectors: vectors, threads: 1)
                if count > 10 { _ = index.remove(id: 6) }
                let path = scratch.path("seed-\(number).hnsw")
                try index.save(to: URL(fileURLWithPath: path), modelIdentity: "probe-model-\(number)")
                if let data = FileManager.default.contents(atPath: path) { seeds.append([UInt8](data)) }
            } catch {
                continue
            }
        }
        return seeds
    }
}
