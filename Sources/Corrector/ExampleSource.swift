import ATCText
import PhraseStore
import Retrieval

/// Where the correction prompt's few-shot examples come from.
public protocol ExampleSource: Sendable {
    /// Up to `limit` noisy → clean examples relevant to the transcript `heard` (canonical
    /// tokens), most relevant first.
    func examples(for heard: [String], limit: Int) throws -> [CorrectionPrompt.Example]
}

/// Examples from the index: the stored noisy pairs nearest to the transcript.
public struct RetrievedExamples: ExampleSource {
    /// The index's retriever.
    public let retriever: Retriever
    /// Lexical, dense or hybrid.
    public var mode: RetrievalMode

    /// Examples retrieved with `mode`.
    public init(retriever: Retriever, mode: RetrievalMode = .lexical) {
        self.retriever = retriever
        self.mode = mode
    }

    /// The retriever's nearest noisy pairs, as readable text.
    public func examples(for heard: [String], limit: Int) throws -> [CorrectionPrompt.Example] {
        guard !heard.isEmpty, limit > 0 else { return [] }
        let result = try retriever.retrieve(heard.joined(separator: " "), k: limit, mode: mode)
        return result.pairs.prefix(limit).map(CorrectionPrompt.Example.init(pair:))
    }
}

extension CorrectionPrompt.Example {
    /// A stored noisy pair as a prompt example, both sides in readable form.
    public init(pair: NoisyPair) {
        self.init(heard: ATCNormalizer.readable(pair.hypothesisCanonical), said: ATCNormalizer.readable(pair.referenceCanonical))
    }
}
