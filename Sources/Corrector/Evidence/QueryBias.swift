import ATCText
import Retrieval

/// What one query brings to the decoder besides its words: retrieved exemplar phrases, callsign
/// candidates and noisy pairs, and the `--context` entries known to be around. The decoder
/// turns it into a cache prior, sound-alike targets and rewrite bonuses
/// (``NoisyChannelDecoder/biased(by:)``).
public struct QueryBias: Sendable, Equatable {
    /// A callsign candidate.
    public struct Callsign: Sendable, Equatable {
        /// The telephony designator's words (`air`, `malta`).
        public var telephony: CanonicalTranscript
        /// Designator and flight number as said (`air malta 1 0 4`).
        public var spoken: CanonicalTranscript
        /// A callsign.
        public init(telephony: CanonicalTranscript, spoken: CanonicalTranscript) {
            self.telephony = telephony
            self.spoken = spoken
        }
    }

    /// One noisy pair.
    public struct Pair: Sendable, Equatable {
        /// What the recogniser wrote.
        public var hypothesis: CanonicalTranscript
        /// What was said.
        public var reference: CanonicalTranscript
        /// A pair.
        public init(hypothesis: CanonicalTranscript, reference: CanonicalTranscript) {
            self.hypothesis = hypothesis
            self.reference = reference
        }
    }

    /// Exemplar phrases, best first.
    public var exemplars: [CanonicalTranscript]
    /// Callsign candidates, best first.
    public var callsigns: [Callsign]
    /// Noisy pairs whose references are among the exemplars.
    public var pairs: [Pair]
    /// Callsigns and waypoints known to be around.
    public var context: [CanonicalTranscript]

    /// Evidence given piece by piece.
    public init(exemplars: [CanonicalTranscript] = [], callsigns: [Callsign] = [], pairs: [Pair] = [],
                context: [CanonicalTranscript] = []) {
        self.exemplars = exemplars
        self.callsigns = callsigns
        self.pairs = pairs
        self.context = context
    }

    /// The evidence of a retrieval result (its pairs only when `usePairs`) plus `context`.
    /// Retrieval reports callsigns in readable text and pairs as stored canonical text; both
    /// become canonical tokens here, once.
    public init(retrieval: RetrievalResult?, context: [CanonicalTranscript], usePairs: Bool = true) {
        let retrieval = retrieval ?? RetrievalResult(hits: [], callsigns: [], pairs: [])
        self.init(
            exemplars: retrieval.hits.map(\.canonical),
            callsigns: retrieval.callsigns.map {
                Callsign(telephony: CanonicalTranscript(normalising: $0.telephony), spoken: CanonicalTranscript(normalising: $0.spoken))
            },
            pairs: usePairs
                ? retrieval.pairs.map {
                    Pair(hypothesis: CanonicalTranscript(canonicalText: $0.hypothesisCanonical),
                         reference: CanonicalTranscript(canonicalText: $0.referenceCanonical))
                } : [],
            context: context)
    }

    /// True when there is no evidence at all.
    public var isEmpty: Bool { exemplars.isEmpty && callsigns.isEmpty && pairs.isEmpty && context.isEmpty }
}
