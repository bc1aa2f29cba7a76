import Llama

/// How phrases are turned into vectors: which hidden state of which model, pooled how.
///
/// The same settings must embed the indexed phrases and the queries; ``identity(modelHash:)``
/// is what the index records and checks.
public struct EmbeddingSettings: Sendable, Equatable {
    /// The block whose output residual is pooled (0-based); nil for the final normed state.
    public var layer: Int?
    /// Mean or last-token pooling.
    public var pooling: Pooling
    /// Subtract the pool's mean vector before cosine search (fitted at build time).
    public var centre: Bool
    /// Whiten (after centring) with the pool's shrunk covariance (see ``EmbeddingTransform``).
    public var whiten: Bool
    /// Covariance shrinkage λ for whitening, relative to the mean variance.
    public var shrinkage: Double
    /// Ridge (relative to the mean variance) of the least-squares map that carries a query's
    /// embedding from Whisper-hypothesis space to reference space, fitted on the index's noisy
    /// pairs (see ``EmbeddingTransform``); nil for no map.
    public var queryMapRidge: Double?

    /// The settings chosen by measurement (see docs/BENCHMARKS.md, "Index build and retrieval").
    public static let standard = EmbeddingSettings(layer: 5, pooling: .mean, centre: true, whiten: true, shrinkage: 1,
                                                   queryMapRidge: 0.01)

    /// Settings.
    public init(layer: Int?, pooling: Pooling, centre: Bool = true, whiten: Bool = false, shrinkage: Double = 0.1,
                queryMapRidge: Double? = nil) {
        self.layer = layer
        self.pooling = pooling
        self.centre = centre
        self.whiten = whiten
        self.shrinkage = shrinkage
        self.queryMapRidge = queryMapRidge
    }

    /// The text recorded in the index for the model file with SHA-256 `modelHash`.
    public func identity(modelHash: String) -> String {
        let layerName = layer.map { "block\($0)" } ?? "final"
        let poolingName = pooling == .mean ? "mean" : "last"
        return "sha256:\(modelHash) layer:\(layerName) pooling:\(poolingName) centre:\(centre ? "yes" : "no") whiten:\(whiten ? "\(shrinkage)" : "no") input:canonical"
            + (queryMapRidge.map { " querymap:\($0)" } ?? "")
    }
}
