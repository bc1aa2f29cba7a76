import ATCText
import Retrieval

/// The evidence stage: retrieval over the index (when configured) and the context list, for
/// each piece the guard hands on. The one place the engine queries the retriever.
public struct EvidenceGatherer: Sendable {
    /// How the engine retrieves evidence for each piece.
    public struct RetrievalSettings: Sendable {
        /// The opened index.
        public var retriever: Retriever
        /// Which retrievers run.
        public var mode: RetrievalMode
        /// Exemplars, callsign candidates and pairs asked for per query.
        public var k: Int
        /// Whether the retrieved noisy pairs bias the decoder (exemplars and callsigns always do).
        public var usePairs: Bool

        /// Settings over an opened retriever.
        public init(retriever: Retriever, mode: RetrievalMode = .hybrid, k: Int = 5, usePairs: Bool = true) {
            self.retriever = retriever
            self.mode = mode
            self.k = k
            self.usePairs = usePairs
        }
    }

    /// Retrieval per piece, or nil for none.
    public var retrieval: RetrievalSettings?
    /// Callsigns and waypoints known to be around.
    public var context: ContextList

    /// A gatherer; without retrieval and context it finds nothing.
    public init(retrieval: RetrievalSettings? = nil, context: ContextList = ContextList(entries: [])) {
        self.retrieval = retrieval
        self.context = context
    }

    /// The evidence for one cleaned piece (an empty piece retrieves nothing).
    public func gather(for heard: CanonicalTranscript) throws -> Evidence {
        var found: RetrievalResult?
        if let retrieval, !heard.isEmpty {
            found = try retrieval.retriever.retrieve(heard.text, k: retrieval.k, mode: retrieval.mode)
        }
        return Evidence(retrieval: found, bias: QueryBias(retrieval: found, context: context.entries,
                                                          usePairs: retrieval?.usePairs ?? false))
    }
}
