import ATCText
import Foundation

/// Word-level noisy-channel decoding: find the reference word sequence R that maximises
/// `lmWeight · log P_LM(R) + log P_channel(heard | R)` over a lattice built from the heard
/// transcript.
///
/// Each step consumes 1–3 heard words and emits 0–4 words, by one of:
/// - a rewrite from the ``ConfusionTable`` (a copy is just the rewrite `w → w`), scored by its
///   learnt probability;
/// - a sound-alike phraseology word or pair from the ``SoundAlikeLexicon``, scored by distance;
/// - a plain copy of a word the table never saw (names, numbers it has no opinion about).
/// A beam over (position, prior state) keeps the search linear in the transcript's length
/// (``nBest(_:count:perState:)``, the one search: the 1-best and the judge's n best come from
/// it). Whether the best rewrite may replace what was heard is not the decoder's call but the
/// pipeline's ``DoNoHarm`` rule.
public struct NoisyChannelDecoder: Sendable {
    /// The domain prior.
    public let languageModel: NgramLanguageModel
    /// Learnt rewrites.
    public let confusions: ConfusionTable
    /// Sound-alike proposals.
    public let lexicon: SoundAlikeLexicon
    /// Score weights.
    public var weights: Weights
    /// This query's evidence, compiled; nil for the unbiased decoder.
    public internal(set) var bias: CompiledBias?

    /// A decoder over the given models.
    public init(languageModel: NgramLanguageModel, confusions: ConfusionTable, lexicon: SoundAlikeLexicon, weights: Weights = Weights()) {
        self.languageModel = languageModel
        self.confusions = confusions
        self.lexicon = lexicon
        self.weights = weights
    }
}
