/// Construction and search parameters of an HNSW graph (Malkov & Yashunin, 2018).
public struct HNSWParameters: Sendable, Equatable {
    /// Links per node on the upper layers; layer 0 allows `2 * m`.
    public var m: Int
    /// Candidate list size while inserting; larger builds a better graph, slower.
    public var efConstruction: Int
    /// Default candidate list size while searching (raised to `k` when smaller).
    public var efSearch: Int
    /// Seed of the level draws; with a fixed seed and insertion order the graph is identical
    /// on every run and for every thread count.
    public var seed: UInt64
    /// Element type of stored vectors.
    public var storage: VectorStorageFormat
    /// The paper's `keepPrunedConnections` flag of algorithm 4: refill a neighbour list that the
    /// heuristic left short with the nearest discarded candidates.
    public var keepPrunedConnections: Bool

    /// Creates parameters; the defaults are the benchmark settings.
    public init(
        m: Int = 16, efConstruction: Int = 200, efSearch: Int = 64, seed: UInt64 = 100,
        storage: VectorStorageFormat = .float32, keepPrunedConnections: Bool = false
    ) {
        self.m = m
        self.efConstruction = efConstruction
        self.efSearch = efSearch
        self.seed = seed
        self.storage = storage
        self.keepPrunedConnections = keepPrunedConnections
    }

    /// Checks the ranges the graph relies on; returns a message for the first violation.
    func validationProblem() -> String? {
        if m < 2 || m > 256 { return "m must be in 2...256 (got \(m))" }
        if efConstruction < 1 || efConstruction > 100_000 { return "efConstruction must be in 1...100000 (got \(efConstruction))" }
        if efSearch < 1 || efSearch > 100_000 { return "efSearch must be in 1...100000 (got \(efSearch))" }
        return nil
    }
}
