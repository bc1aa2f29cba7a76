import ATCText
import PhraseStore

extension CorrectionPrompt {
    /// One retrieved example: what the recogniser wrote and what was said.
    public struct Example: Sendable, Equatable {
        /// The recogniser's transcript (readable form).
        public var heard: String
        /// The reference (readable form).
        public var said: String
        /// An example pair.
        public init(heard: String, said: String) {
            self.heard = heard
            self.said = said
        }

        /// A stored noisy pair as a prompt example, both sides in readable form.
        public init(pair: NoisyPair) {
            self.init(heard: CanonicalTranscript(canonicalText: pair.hypothesisCanonical).readable,
                      said: CanonicalTranscript(canonicalText: pair.referenceCanonical).readable)
        }
    }
}
