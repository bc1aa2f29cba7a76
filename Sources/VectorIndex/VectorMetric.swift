/// How two vectors are compared.
///
/// Scores returned by search follow the metric's natural direction: for `.cosine` and
/// `.innerProduct` the score is the similarity (higher is nearer); for `.l2` it is the squared
/// Euclidean distance (lower is nearer). Results are always ordered nearest first.
public enum VectorMetric: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Inner product of L2-normalised vectors; vectors and queries are normalised on the way in.
    case cosine = 1
    /// Raw inner product; the caller owns the vectors' scale.
    case innerProduct = 2
    /// Squared Euclidean distance.
    case l2 = 3

    /// The name used in files, the CLI and diagnostics.
    public var description: String {
        switch self {
        case .cosine: "cosine"
        case .innerProduct: "inner-product"
        case .l2: "l2"
        }
    }

    /// Parses the names printed by `description` (also `ip` and `dot`).
    public init?(name: String) {
        switch name.lowercased() {
        case "cosine", "cos": self = .cosine
        case "inner-product", "innerproduct", "ip", "dot": self = .innerProduct
        case "l2", "euclidean": self = .l2
        default: return nil
        }
    }

    /// Whether higher scores are nearer (similarities) rather than lower (distances).
    public var higherIsNearer: Bool { self != .l2 }
}
