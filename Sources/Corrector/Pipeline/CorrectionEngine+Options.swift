import ATCText
import Foundation
import Retrieval

extension CorrectionEngine {
    /// Everything ``CorrectionEngine/open(index:options:)`` needs besides the index directory.
    /// The defaults are the engine as measured in docs/BENCHMARKS.md, without a model (set
    /// ``languageModel`` for the judge).
    public struct Options: Sendable {
        /// Which retrievers run per piece.
        public enum RetrievalChoice: Sendable, Equatable {
            /// Hybrid when the index has vectors, else lexical (with a note in the report).
            case automatic
            /// No retrieval: the decoder and the context list alone.
            case none
            /// This mode.
            case mode(RetrievalMode)
        }

        /// Retrieval per piece.
        public var retrieval: RetrievalChoice = .automatic
        /// The GGUF model the index was embedded with (dense and hybrid retrieval need it).
        public var embeddingModel: String?
        /// Exemplars, callsign candidates and noisy pairs retrieved per piece.
        public var k = 5
        /// Whether retrieved noisy pairs bias the decoder.
        public var usePairs = true
        /// A context file (one callsign or waypoint per line), or nil.
        public var contextFile: URL?
        /// Context entries given directly (added to the file's).
        public var contextEntries: [CanonicalTranscript] = []
        /// Decoder weights.
        public var weights = NoisyChannelDecoder.Weights()
        /// Weight of the generated phraseology in the n-gram prior.
        public var backgroundWeight = ChannelModel.defaultBackgroundWeight
        /// Threads for the query embedding.
        public var threads = 2
        /// Limits of the transcript guard.
        public var guardrail = TranscriptGuard()
        /// The language-model stage, or nil for the decoder alone.
        public var languageModel: LanguageModel?

        /// The defaults.
        public init() {}

        /// Allowed exemplars per query.
        public static let kRange = 1...64
        /// Allowed threads.
        public static let threadsRange = 1...256
        /// Allowed background weights.
        public static let backgroundWeightRange = 0.0...1.0
        /// Allowed beam widths.
        public static let beamWidthRange = 1...100_000
        /// Allowed whole-callsign candidates.
        public static let callsignSpanRange = 0...64

        /// Throws an ``OptionsError`` naming the first option out of its range.
        public func validate() throws(OptionsError) {
            try Self.check("k", k, in: Self.kRange)
            try Self.check("threads", threads, in: Self.threadsRange)
            try Self.check("backgroundWeight", backgroundWeight, in: Self.backgroundWeightRange)
            try Self.check("weights.beamWidth", weights.beamWidth, in: Self.beamWidthRange)
            try Self.check("weights.callsignSpanCandidates", weights.callsignSpanCandidates, in: Self.callsignSpanRange)
            try languageModel?.validate()
        }

        static func check<Value: Comparable>(_ name: String, _ value: Value, in range: ClosedRange<Value>) throws(OptionsError) {
            guard range.contains(value) else {
                throw OptionsError(option: name, message: "must be between \(range.lowerBound) and \(range.upperBound) (got \(value))")
            }
        }
    }
}
