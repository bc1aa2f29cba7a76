import ATCText
import Retrieval

/// What one query brings to the decoder besides its words: retrieved exemplar phrases, callsign
/// candidates and noisy pairs, and the `--context` entries known to be around. The decoder
/// turns it into a cache prior, sound-alike targets and rewrite bonuses
/// (``NoisyChannelDecoder/biased(by:)``).
public struct QueryBias: Sendable, Equatable {
    /// A callsign candidate in canonical tokens.
    public struct Callsign: Sendable, Equatable {
        /// The telephony designator's words (`air`, `malta`).
        public var telephony: [String]
        /// Designator and flight number as said (`air malta 1 0 4`).
        public var spoken: [String]
        /// A callsign.
        public init(telephony: [String], spoken: [String]) {
            self.telephony = telephony
            self.spoken = spoken
        }
    }

    /// One noisy pair in canonical tokens.
    public struct Pair: Sendable, Equatable {
        /// What the recogniser wrote.
        public var hypothesis: [String]
        /// What was said.
        public var reference: [String]
        /// A pair.
        public init(hypothesis: [String], reference: [String]) {
            self.hypothesis = hypothesis
            self.reference = reference
        }
    }

    /// Exemplar phrases, best first.
    public var exemplars: [[String]]
    /// Callsign candidates, best first.
    public var callsigns: [Callsign]
    /// Noisy pairs whose references are among the exemplars.
    public var pairs: [Pair]
    /// Callsigns and waypoints known to be around, in canonical tokens.
    public var context: [[String]]

    /// Evidence given piece by piece.
    public init(exemplars: [[String]] = [], callsigns: [Callsign] = [], pairs: [Pair] = [], context: [[String]] = []) {
        self.exemplars = exemplars
        self.callsigns = callsigns
        self.pairs = pairs
        self.context = context
    }

    /// The evidence of a retrieval result (its pairs only when `usePairs`) plus `context`.
    public init(retrieval: RetrievalResult?, context: [[String]], usePairs: Bool = true) {
        let retrieval = retrieval ?? RetrievalResult(hits: [], callsigns: [], pairs: [])
        self.init(
            exemplars: retrieval.hits.map(\.canonical.tokens),
            callsigns: retrieval.callsigns.map {
                Callsign(telephony: ATCNormalizer.canonicalTokens($0.telephony), spoken: ATCNormalizer.canonicalTokens($0.spoken))
            },
            pairs: usePairs
                ? retrieval.pairs.map {
                    Pair(hypothesis: Self.tokens($0.hypothesisCanonical), reference: Self.tokens($0.referenceCanonical))
                } : [],
            context: context)
    }

    /// True when there is no evidence at all.
    public var isEmpty: Bool { exemplars.isEmpty && callsigns.isEmpty && pairs.isEmpty && context.isEmpty }

    private static func tokens(_ canonical: String) -> [String] {
        canonical.split(separator: " ").map(String.init)
    }
}
