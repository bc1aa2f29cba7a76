import Llama

/// How phrases are turned into vectors: which hidden state of which model, pooled how.
///
/// The same settings must embed the indexed phrases and the queries, so the index records
/// them at build time (see ``IndexDescription``) and a ``Retriever`` reads them from there.
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
    public init(layer: Int?, pooling: Pooling, centre: Bool = true, whiten: Bool = false,
                shrinkage: Double = EmbeddingSettings.unwhitenedShrinkage,
                queryMapRidge: Double? = nil) {
        self.layer = layer
        self.pooling = pooling
        self.centre = centre
        self.whiten = whiten
        self.shrinkage = shrinkage
        self.queryMapRidge = queryMapRidge
    }

    /// The settings as the index's identity text spells them
    /// (`layer:block5 pooling:mean centre:yes whiten:1.0 input:canonical querymap:0.01`).
    public var identityText: String {
        let layerName = layer.map { "block\($0)" } ?? "final"
        let poolingName = pooling == .mean ? "mean" : "last"
        return "layer:\(layerName) pooling:\(poolingName) centre:\(centre ? "yes" : "no") whiten:\(whiten ? "\(shrinkage)" : "no") input:canonical"
            + (queryMapRidge.map { " querymap:\($0)" } ?? "")
    }

    /// The settings spelled by `text` (the fields of ``identityText``, in any order; other
    /// fields are ignored), or nil when a field is missing or malformed.
    public init?(identityText text: String) {
        var fields: [Substring: Substring] = [:]
        for field in text.split(separator: " ") {
            guard let colon = field.firstIndex(of: ":") else { continue }
            fields[field[..<colon]] = field[field.index(after: colon)...]
        }
        guard let layerField = fields["layer"], let poolingField = fields["pooling"], let centreField = fields["centre"],
              let whitenField = fields["whiten"], fields["input"] == "canonical"
        else { return nil }
        if layerField == "final" {
            layer = nil
        } else if layerField.hasPrefix("block"), let value = Int(layerField.dropFirst(5)), value >= 0 {
            layer = value
        } else {
            return nil
        }
        switch poolingField {
        case "mean": pooling = .mean
        case "last": pooling = .last
        default: return nil
        }
        switch centreField {
        case "yes": centre = true
        case "no": centre = false
        default: return nil
        }
        if whitenField == "no" {
            whiten = false
            shrinkage = EmbeddingSettings.unwhitenedShrinkage
        } else if let value = Double(whitenField), value > 0 {
            whiten = true
            shrinkage = value
        } else {
            return nil
        }
        if let ridgeField = fields["querymap"] {
            guard let ridge = Double(ridgeField), ridge > 0 else { return nil }
            queryMapRidge = ridge
        } else {
            queryMapRidge = nil
        }
    }

    /// The shrinkage of settings that do not whiten (unused, but part of equality).
    public static let unwhitenedShrinkage = 0.1
}
