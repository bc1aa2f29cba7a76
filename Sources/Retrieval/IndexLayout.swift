import Foundation

/// The files of an index directory and the metadata keys it records.
public struct IndexLayout: Sendable, Equatable {
    /// The index directory.
    public var directory: URL

    /// The layout of `directory`.
    public init(directory: URL) {
        self.directory = directory
    }

    /// The phrase store.
    public var phrasesURL: URL { directory.appendingPathComponent("phrases.sqlite") }
    /// The HNSW vector index.
    public var vectorsURL: URL { directory.appendingPathComponent("vectors.hnsw") }

    /// Metadata key: the embedding identity (UTF-8).
    static let identityKey = "model_identity"
    /// Metadata key: the ``IndexDescription`` (JSON): embedding settings and model fingerprint.
    static let descriptionKey = "index_description"
    /// Metadata key: the centring mean (f32 little-endian).
    static let centreKey = "centre"

    /// The command that builds this index, for error messages.
    public var buildHint: String { "build one with `atcfix index build --out \(directory.path)`" }
}
