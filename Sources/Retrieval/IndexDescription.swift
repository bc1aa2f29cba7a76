import Foundation
import Llama
import PhraseStore

/// What an index says about its own vectors: the embedding settings they were made with and
/// the model file that made them. Recorded at build time, read at open, so that querying an
/// index needs no embedding flags — the index says how its queries must be embedded.
///
/// Stored as JSON under ``IndexLayout/descriptionKey``. Indexes built before it record only
/// the identity text (`sha256:<hex> layer:block5 pooling:mean centre:yes whiten:1.0
/// input:canonical querymap:0.01`), which ``init(identity:)`` parses.
public struct IndexDescription: Sendable, Equatable {
    /// How phrases and queries are embedded.
    public var settings: EmbeddingSettings
    /// The model file the vectors come from.
    public var model: ModelFingerprint
    /// The identity text the vector file records (checked when it is opened).
    public var identity: String

    /// A description for vectors embedded by `model` under `settings`; its identity text names
    /// the model by its sampled fingerprint.
    public init(settings: EmbeddingSettings, model: ModelFingerprint) {
        self.settings = settings
        self.model = model
        let name = model.sampledDigest.map { "fingerprint:\($0)" } ?? "sha256:\(model.sha256 ?? "")"
        identity = "\(name) \(settings.identityText)"
    }

    /// The description spelled by an identity text, or nil when it is not one.
    public init?(identity text: String) {
        guard let settings = EmbeddingSettings(identityText: text) else { return nil }
        var model = ModelFingerprint(size: nil, sampledDigest: nil, sha256: nil)
        for field in text.split(separator: " ") {
            if field.hasPrefix("sha256:") { model.sha256 = String(field.dropFirst(7)) }
            if field.hasPrefix("fingerprint:") { model.sampledDigest = String(field.dropFirst(12)) }
        }
        guard model.sha256?.isEmpty == false || model.sampledDigest?.isEmpty == false else { return nil }
        self.settings = settings
        self.model = model
        identity = text
    }

    /// The description recorded in `store`: the JSON record, else the identity text of an
    /// index built before it; nil when no vectors were built. An error naming `path` when the
    /// record is malformed.
    static func read(from store: PhraseStore, path: String) throws(RetrievalError) -> IndexDescription? {
        let json: [UInt8]?, identity: [UInt8]?
        do {
            json = try store.indexMetadata(IndexLayout.descriptionKey)
            identity = try store.indexMetadata(IndexLayout.identityKey)
        } catch {
            throw RetrievalError("\(path): \(error.description)")
        }
        if let json { return try decode(json, path: path) }
        guard let identity else { return nil }
        guard let text = String(validating: identity, as: UTF8.self), let description = IndexDescription(identity: text) else {
            throw RetrievalError("\(path): the recorded embedding identity is not one this version reads; rebuild the index")
        }
        return description
    }

    /// The JSON recorded in the index.
    public func encoded() -> [UInt8] {
        let record = Record(
            identity: identity, layer: settings.layer, pooling: settings.pooling == .mean ? "mean" : "last",
            centre: settings.centre, whiten: settings.whiten, shrinkage: settings.shrinkage,
            queryMapRidge: settings.queryMapRidge, modelSize: model.size, modelSampledDigest: model.sampledDigest,
            modelSHA256: model.sha256)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array((try? encoder.encode(record)) ?? Data())
    }

    /// The description recorded as JSON by ``encoded()``; an error naming `path` when malformed.
    public static func decode(_ bytes: [UInt8], path: String) throws(RetrievalError) -> IndexDescription {
        let decoder = JSONDecoder()
        let record: Record
        do {
            record = try decoder.decode(Record.self, from: Data(bytes))
        } catch {
            throw RetrievalError("\(path): the index description (metadata '\(IndexLayout.descriptionKey)') is malformed (\(error)); rebuild the index")
        }
        guard record.pooling == "mean" || record.pooling == "last" else {
            throw RetrievalError("\(path): the index description has pooling '\(record.pooling)' (expected mean or last); rebuild the index")
        }
        let settings = EmbeddingSettings(layer: record.layer, pooling: record.pooling == "mean" ? .mean : .last,
                                         centre: record.centre, whiten: record.whiten, shrinkage: record.shrinkage,
                                         queryMapRidge: record.queryMapRidge)
        var description = IndexDescription(
            settings: settings,
            model: ModelFingerprint(size: record.modelSize, sampledDigest: record.modelSampledDigest, sha256: record.modelSHA256))
        description.identity = record.identity
        return description
    }

    private struct Record: Codable {
        var identity: String
        var layer: Int?
        var pooling: String
        var centre: Bool
        var whiten: Bool
        var shrinkage: Double
        var queryMapRidge: Double?
        var modelSize: Int64?
        var modelSampledDigest: String?
        var modelSHA256: String?

        enum CodingKeys: String, CodingKey {
            case identity, layer, pooling, centre, whiten, shrinkage
            case queryMapRidge = "query_map_ridge"
            case modelSize = "model_size"
            case modelSampledDigest = "model_sampled_digest"
            case modelSHA256 = "model_sha256"
        }
    }
}
