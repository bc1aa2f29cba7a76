import ATCText
import PhraseStore

/// Which retrievers run.
public enum RetrievalMode: String, Sendable, CaseIterable {
    /// Dense and lexical, fused by reciprocal rank.
    case hybrid
    /// LLaMA embeddings through the HNSW index only.
    case dense
    /// BM25 over phrase normal forms and over stored Whisper hypotheses, fused by reciprocal
    /// rank (needs no model).
    case lexical
}

/// Which retriever found a hit.
public enum HitSource: String, Sendable {
    /// The embedding search only.
    case dense
    /// The lexical searches only: BM25 over the phrases, or over the stored Whisper hypotheses
    /// of noisy pairs (a hit is then the hypothesis's reference).
    case lexical
    /// Both.
    case both
}

/// One retrieved exemplar phrase.
public struct RetrievalHit: Sendable, Equatable {
    /// The readable phrase (numbers grouped: `lufthansa 4393 descend flight level 270`).
    public var text: String
    /// The phrase's canonical tokens.
    public var canonical: CanonicalTranscript
    /// The score it was ranked by: in hybrid and lexical mode the reciprocal-rank sum, plus
    /// (for the head of the list) the rerank's weighted edit similarity to the transcript; in
    /// dense mode the cosine.
    public var score: Double
    /// Which retriever found it.
    public var source: HitSource
    /// A phrase row holding this canonical form.
    public var phraseID: Int64
}

/// What ``Retriever/retrieve(tokens:k:mode:)`` found for one transcript.
public struct RetrievalResult: Sendable, Equatable {
    /// Exemplar phrases, best first.
    public var hits: [RetrievalHit]
    /// Callsign candidates, best first.
    public var callsigns: [CallsignCandidate]
    /// Stored ASR hypothesis → reference pairs whose reference is among the hits, in the hits'
    /// order (most frequent first within one hit).
    public var pairs: [NoisyPair]
    /// Why the result is empty or partial, when it is.
    public var note: String?

    /// A result.
    public init(hits: [RetrievalHit], callsigns: [CallsignCandidate], pairs: [NoisyPair], note: String? = nil) {
        self.hits = hits
        self.callsigns = callsigns
        self.pairs = pairs
        self.note = note
    }
}
