import ATCText

/// The engine without a language model: transcript guard, then noisy-channel decoding with
/// the confusion table, the n-gram prior and sound-alike phraseology.
public struct ChannelCorrector: TranscriptCorrector {
    /// Clean-up before decoding.
    public var guardrail: TranscriptGuard
    /// The decoder.
    public var decoder: NoisyChannelDecoder

    /// A corrector over a decoder.
    public init(decoder: NoisyChannelDecoder, guardrail: TranscriptGuard = TranscriptGuard()) {
        self.decoder = decoder
        self.guardrail = guardrail
    }

    /// Decodes the cleaned transcript; an empty transcript gives an empty correction.
    public func correct(_ transcript: String) throws -> Correction {
        let (heard, notes) = guardrail.clean(transcript)
        let corrected = decoder.decode(heard)
        return Correction(input: transcript, heard: heard, corrected: corrected,
                          readable: ATCNormalizer.readable(tokens: corrected), notes: notes)
    }
}
