import CVectorKernels
import Support

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The graph's storage and the operations shared by build and search. Not thread-safe by
/// itself: `HNSWIndex` serialises writers and lets readers share it (see there for why).
///
/// Layout (all flat, no per-node objects, so the search loop does no reference counting):
/// - vectors: `capacity × dimension` elements (f32 or f16), row per node;
/// - layer-0 links: `capacity × (1 + m0)` UInt32 — a count then up to `m0` neighbours;
/// - upper links: blocks of `1 + m` UInt32; node `n` at level `l ≥ 1` owns block
///   `upperOffsets[n] + l − 1`;
/// - levels (UInt8), ids (UInt64), tombstones (UInt8) per node.
final class HNSWGraph {
    let dimension: Int
    let metric: VectorMetric
    let parameters: HNSWParameters
    let m: Int
    let m0: Int
    let level0Stride: Int
    let upperStride: Int
    let bytesPerVector: Int
    let levelMultiplier: Double

    var count = 0
    var capacity = 0
    var vectors = GraphBuffer.empty
    var level0 = GraphBuffer.empty
    var levels = GraphBuffer.empty
    var upperOffsets = GraphBuffer.empty
    var upperLinks = GraphBuffer.empty
    var upperBlockCount = 0
    var ids = GraphBuffer.empty
    var tombstones = GraphBuffer.empty
    var deletedCount = 0
    var entryPoint: UInt32 = HNSWGraph.noNode
    var maxLevel = -1
    /// External id → live node; built lazily after a load (searching does not need it).
    var idMap: [UInt64: UInt32]?
    /// Keeps a loaded file's mapping alive while buffers borrow from it.
    var mapping: MappedFile?

    static let noNode = UInt32.max
    static let maxLevelLimit = 31

    init(dimension: Int, metric: VectorMetric, parameters: HNSWParameters) {
        self.dimension = dimension
        self.metric = metric
        self.parameters = parameters
        m = parameters.m
        m0 = 2 * parameters.m
        level0Stride = 1 + m0
        upperStride = 1 + m
        bytesPerVector = dimension * parameters.storage.bytesPerElement
        levelMultiplier = 1 / log(Double(max(parameters.m, 2)))
        idMap = [:]
    }

    deinit {
        vectors.release(); level0.release(); levels.release(); upperOffsets.release()
        upperLinks.release(); ids.release(); tombstones.release()
    }

    var liveCount: Int { count - deletedCount }

    // MARK: accessors

    @inline(__always) func links(_ node: UInt32, level: Int) -> UnsafeMutablePointer<UInt32> {
        if level == 0 { return level0.typed(UInt32.self) + Int(node) * level0Stride }
        let block = Int(upperOffsets.typed(UInt32.self)[Int(node)]) + level - 1
        return upperLinks.typed(UInt32.self) + block * upperStride
    }

    @inline(__always) func level(of node: UInt32) -> Int { Int(levels.typed(UInt8.self)[Int(node)]) }
    @inline(__always) func id(of node: UInt32) -> UInt64 { ids.typed(UInt64.self)[Int(node)] }
    @inline(__always) func isDeleted(_ node: UInt32) -> Bool { tombstones.typed(UInt8.self)[Int(node)] != 0 }

    /// A snapshot of the pointers the distance loop needs (valid until the next growth).
    @inline(__always) func distances() -> DistanceContext {
        DistanceContext(
            vectors: UnsafeRawPointer(vectors.base ?? UnsafeMutableRawPointer(bitPattern: 64)!),
            dimension: dimension, bytesPerVector: bytesPerVector,
            isL2: metric == .l2, isHalf: parameters.storage == .float16)
    }

    /// The level a node is drawn at: a function of the seed and the node's insertion number
    /// only, so levels do not depend on thread scheduling.
    func drawLevel(node: Int) -> Int {
        let bits = SplitMix64.mix(parameters.seed ^ SplitMix64.mix(UInt64(node) &+ 0x5851_F42D_4C95_7F2D))
        let unit = 1 - Double(bits >> 11) * 0x1.0p-53   // (0, 1]
        let level = Int(-log(unit) * levelMultiplier)
        return min(level, HNSWGraph.maxLevelLimit)
    }

    /// Builds the id → node map from the id array (after a load).
    func ensureIDMap() {
        if idMap != nil { return }
        var map = [UInt64: UInt32](minimumCapacity: liveCount)
        for node in 0..<count where !isDeleted(UInt32(node)) { map[id(of: UInt32(node))] = UInt32(node) }
        idMap = map
    }

    /// Bytes of memory held for the graph (capacity, not just what is used).
    var memoryBytes: Int {
        var total = vectors.capacityBytes + level0.capacityBytes + levels.capacityBytes
        total += upperOffsets.capacityBytes + upperLinks.capacityBytes + ids.capacityBytes + tombstones.capacityBytes
        if let idMap { total += idMap.capacity * (MemoryLayout<UInt64>.stride + MemoryLayout<UInt32>.stride) + idMap.capacity / 8 }
        return total
    }

    /// Makes room for `newCount` nodes and `newUpperBlocks` upper-link blocks.
    func reserve(nodes newCount: Int, upperBlocks newUpperBlocks: Int, exact: Bool) {
        if newCount > capacity {
            let target = exact ? newCount : max(newCount, capacity + capacity / 2, 64)
            vectors.reserve(bytes: target * bytesPerVector, preserving: count * bytesPerVector)
            level0.reserve(bytes: target * level0Stride * 4, preserving: count * level0Stride * 4)
            levels.reserve(bytes: target, preserving: count)
            upperOffsets.reserve(bytes: target * 4, preserving: count * 4)
            ids.reserve(bytes: target * 8, preserving: count * 8)
            tombstones.reserve(bytes: target, preserving: count)
            capacity = target
        }
        let blockBytes = upperStride * 4
        if newUpperBlocks * blockBytes > upperLinks.capacityBytes {
            let target = exact ? newUpperBlocks : max(newUpperBlocks, upperBlockCount + upperBlockCount / 2, 16)
            upperLinks.reserve(bytes: target * blockBytes, preserving: upperBlockCount * blockBytes)
        }
    }

    /// Decodes node's stored vector into `out` (f32 copy; used for f16 and for rebuilds).
    func decode(_ node: UInt32, into out: UnsafeMutablePointer<Float>) {
        let raw = vectors.base! + Int(node) * bytesPerVector
        if parameters.storage == .float32 {
            out.update(from: raw.assumingMemoryBound(to: Float.self), count: dimension)
        } else {
            let half = raw.assumingMemoryBound(to: Float16.self)
            for i in 0..<dimension { out[i] = Float(half[i]) }
        }
    }

    /// A pointer to node's vector as f32 if stored so, else decoded into `buffer`.
    @inline(__always) func vectorAsFloat(_ node: UInt32, buffer: UnsafeMutablePointer<Float>) -> UnsafePointer<Float> {
        if parameters.storage == .float32 {
            return UnsafePointer((vectors.base! + Int(node) * bytesPerVector).assumingMemoryBound(to: Float.self))
        }
        decode(node, into: buffer)
        return UnsafePointer(buffer)
    }
}

/// What the distance loop needs, copied into a struct so the hot loop touches no class fields.
/// Sendable because build workers only read through it while no one writes the vectors.
struct DistanceContext: @unchecked Sendable {
    let vectors: UnsafeRawPointer
    let dimension: Int
    let bytesPerVector: Int
    let isL2: Bool
    let isHalf: Bool

    /// Distance from an f32 query to a stored node; lower is nearer (−dot for inner products).
    @inline(__always) func distance(_ query: UnsafePointer<Float>, _ node: UInt32) -> Float {
        let p = vectors + Int(node) * bytesPerVector
        if isHalf {
            let h = p.assumingMemoryBound(to: UInt16.self)
            return isL2 ? vk_l2sq_f16(query, h, dimension) : -vk_dot_f16(query, h, dimension)
        }
        let f = p.assumingMemoryBound(to: Float.self)
        return isL2 ? vk_l2sq_f32(query, f, dimension) : -vk_dot_f32(query, f, dimension)
    }

    /// Starts fetching the first cache lines of a node's vector (the rest streams in behind).
    @inline(__always) func prefetchHead(_ node: UInt32) {
        vk_prefetch(vectors + Int(node) * bytesPerVector, min(bytesPerVector, 128))
    }

    /// Starts fetching a node's vector into cache.
    @inline(__always) func prefetch(_ node: UInt32) {
        vk_prefetch(vectors + Int(node) * bytesPerVector, bytesPerVector)
    }
}
