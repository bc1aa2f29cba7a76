import ATCText
import Retrieval

/// What the evidence stage found for one piece of a transcript: the retrieval result, the bias
/// it and the context list give the decoder, and the few-shot examples a model stage shows.
public struct Evidence: Sendable, Equatable {
    /// What retrieval found (nil when retrieval is off or the piece is empty).
    public var retrieval: RetrievalResult?
    /// The decoder's per-query bias.
    public var bias: QueryBias

    /// Evidence as found.
    public init(retrieval: RetrievalResult?, bias: QueryBias) {
        self.retrieval = retrieval
        self.bias = bias
    }

    /// Up to `limit` retrieved noisy → clean pairs as prompt examples, nearest first; none
    /// without retrieval.
    public func examples(limit: Int) -> [CorrectionPrompt.Example] {
        guard limit > 0, let retrieval else { return [] }
        return retrieval.pairs.prefix(limit).map(CorrectionPrompt.Example.init(pair:))
    }
}
