import ATCText
import Foundation
import Retrieval

/// The engine without a language model: transcript guard, retrieval (when configured), then
/// noisy-channel decoding with the confusion table, the n-gram prior and sound-alike
/// phraseology, biased per query by what was retrieved and by the context list.
public struct ChannelCorrector: TranscriptCorrector {
    /// How the engine retrieves evidence for each transcript.
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

    /// Clean-up before decoding.
    public var guardrail: TranscriptGuard
    /// The decoder (unbiased; each query gets its own biased copy).
    public var decoder: NoisyChannelDecoder
    /// Retrieval per query, or nil for none.
    public var retrieval: RetrievalSettings?
    /// Callsigns and waypoints known to be around.
    public var context: ContextList

    /// A corrector over a decoder.
    public init(decoder: NoisyChannelDecoder, guardrail: TranscriptGuard = TranscriptGuard(),
                retrieval: RetrievalSettings? = nil, context: ContextList = ContextList(entries: []))
    {
        self.decoder = decoder
        self.guardrail = guardrail
        self.retrieval = retrieval
        self.context = context
    }

    /// The evidence for one cleaned transcript: retrieval (if configured) and the context list.
    public func evidence(for heard: [String]) throws -> (bias: QueryBias, retrieval: RetrievalResult?) {
        var found: RetrievalResult?
        if let retrieval, !heard.isEmpty {
            found = try retrieval.retriever.retrieve(heard.joined(separator: " "), k: retrieval.k, mode: retrieval.mode)
        }
        return (QueryBias(retrieval: found, context: context.entries, usePairs: retrieval?.usePairs ?? false), found)
    }

    /// The decoder biased by the evidence for `heard` (the plain decoder when there is none).
    public func decoder(for heard: [String]) throws -> (decoder: NoisyChannelDecoder, retrieval: RetrievalResult?) {
        let (bias, found) = try evidence(for: heard)
        return (bias.isEmpty ? decoder : decoder.biased(by: bias), found)
    }

    /// Decodes the cleaned transcript; an empty transcript gives an empty correction.
    public func correct(_ transcript: String) throws -> Correction {
        var (heard, notes) = guardrail.clean(transcript)
        let (biased, found) = try decoder(for: heard)
        let decoding = biased.decodeExplained(heard)
        if decoding.keptInput {
            notes.append(String(format: "kept the input: the best rewrite gained %.2f over it, under the do-no-harm threshold",
                                decoding.best.score - decoding.asHeard.score))
        }
        var candidates = decoding.alternatives
        if !candidates.contains(where: { $0.words == heard }) { candidates.append(decoding.asHeard) }
        return Correction(input: transcript, heard: heard, corrected: decoding.words,
                          readable: ATCNormalizer.readable(tokens: decoding.words), notes: notes,
                          retrieval: found, candidates: candidates.sorted { $0.score > $1.score })
    }
}
