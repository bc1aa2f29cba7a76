import Foundation
import PhraseStore
import Retrieval

/// Everything needed to open the correction engine over an index directory; the CLI's
/// `correct` and `batch` and the tests open it the same way.
public struct EngineConfiguration: Sendable {
    /// The index directory (`phrases.sqlite`, and `vectors.hnsw` for dense retrieval).
    public var index: URL
    /// Which retrievers run per query; nil for none (the decoder alone).
    public var retrieval: RetrievalMode?
    /// The GGUF model the index was embedded with (needed for dense and hybrid retrieval).
    public var modelPath: String?
    /// The embedding settings the index was built with.
    public var embedding: EmbeddingSettings
    /// Exemplars, callsign candidates and pairs retrieved per query.
    public var k: Int
    /// Whether retrieved noisy pairs bias the decoder.
    public var usePairs: Bool
    /// A context list (one callsign or waypoint per line), or nil.
    public var contextFile: URL?
    /// Decoder weights.
    public var weights: NoisyChannelDecoder.Weights
    /// Weight of the generated phraseology in the n-gram prior.
    public var backgroundWeight: Double
    /// Threads for the query embedding.
    public var threads: Int

    /// A configuration; by default hybrid retrieval with the given model.
    public init(index: URL, retrieval: RetrievalMode? = .hybrid, modelPath: String? = nil,
                embedding: EmbeddingSettings = .standard, k: Int = 5, usePairs: Bool = true, contextFile: URL? = nil,
                weights: NoisyChannelDecoder.Weights = .init(), backgroundWeight: Double = ChannelModel.defaultBackgroundWeight,
                threads: Int = 2)
    {
        self.index = index
        self.retrieval = retrieval
        self.modelPath = modelPath
        self.embedding = embedding
        self.k = k
        self.usePairs = usePairs
        self.contextFile = contextFile
        self.weights = weights
        self.backgroundWeight = backgroundWeight
        self.threads = threads
    }

    /// Opens the engine: learns the channel model from the index (failing with how to build
    /// one when it is missing), opens the retriever (failing clearly when the model is not
    /// the one the index was embedded with) and reads the context list.
    public func load() throws -> (corrector: ChannelCorrector, model: ChannelModel) {
        let model = try ChannelModel.load(indexDirectory: index, backgroundWeight: backgroundWeight)
        var settings: ChannelCorrector.RetrievalSettings?
        if let retrieval {
            guard k > 0 else { throw RetrievalError("the number of retrieved exemplars must be positive (got \(k))") }
            let needsModel = retrieval != .lexical
            if needsModel, modelPath == nil {
                throw RetrievalError("\(retrieval.rawValue) retrieval needs the embedding model (--model); use --retrieval lexical or none without one")
            }
            let retriever = try Retriever(directory: index, modelPath: needsModel ? modelPath : nil, settings: embedding,
                                          threads: threads)
            settings = .init(retriever: retriever, mode: retrieval, k: k, usePairs: usePairs)
        }
        var context = ContextList(entries: [])
        if let contextFile {
            let store = try PhraseStore(path: ChannelModel.phraseDatabase(in: index).path, mode: .readOnly)
            context = try ContextList.load(contextFile, airlines: try store.allAirlines())
        }
        let corrector = ChannelCorrector(decoder: model.decoder(weights: weights), retrieval: settings, context: context)
        return (corrector, model)
    }
}
