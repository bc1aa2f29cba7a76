/// Per-search working memory, reused across queries so a query allocates nothing.
///
/// The visited set is an array of 16-bit generation stamps: starting a query bumps the
/// generation instead of clearing the array; it is cleared only when the stamp wraps (every
/// 65 535 queries). One scratch is used by one thread at a time (the index keeps a pool).
final class SearchScratch {
    private(set) var visited: UnsafeMutablePointer<UInt16>
    private(set) var visitedCapacity: Int
    private(set) var generation: UInt16 = 0
    var candidates = CandidateHeap(capacity: 256)
    var results = CandidateHeap(capacity: 256)
    /// Holds a prepared (normalised) query.
    let query: UnsafeMutablePointer<Float>
    /// Holds a decoded f16 vector during neighbour selection.
    let decoded: UnsafeMutablePointer<Float>
    /// Unvisited neighbours collected before their distances are computed (prefetch batch).
    let pending: UnsafeMutablePointer<UInt32>
    /// Sorted candidate lists for neighbour selection.
    var selection: [Candidate] = []
    var selected: [Candidate] = []
    var pruned: [Candidate] = []
    let dimension: Int

    init(dimension: Int, nodeCapacity: Int, maxLinks: Int) {
        self.dimension = dimension
        visitedCapacity = max(nodeCapacity, 1024)
        visited = .allocate(capacity: visitedCapacity)
        visited.initialize(repeating: 0, count: visitedCapacity)
        query = .allocate(capacity: dimension)
        query.initialize(repeating: 0, count: dimension)
        decoded = .allocate(capacity: dimension)
        decoded.initialize(repeating: 0, count: dimension)
        pending = .allocate(capacity: maxLinks + 1)
        pending.initialize(repeating: 0, count: maxLinks + 1)
    }

    deinit {
        visited.deallocate()
        query.deallocate()
        decoded.deallocate()
        pending.deallocate()
        candidates.release()
        results.release()
    }

    /// Starts a new query over a graph of `nodeCount` nodes; returns the stamp meaning "visited".
    func beginQuery(nodeCount: Int) -> UInt16 {
        if nodeCount > visitedCapacity {
            let newCapacity = max(nodeCount, visitedCapacity + visitedCapacity / 2)
            visited.deallocate()
            visited = .allocate(capacity: newCapacity)
            visited.initialize(repeating: 0, count: newCapacity)
            visitedCapacity = newCapacity
            generation = 0
        }
        if generation == .max {
            visited.update(repeating: 0, count: visitedCapacity)
            generation = 0
        }
        generation += 1
        return generation
    }
}
