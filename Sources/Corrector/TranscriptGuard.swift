import ATCText

/// The first stage of the engine: turns a raw Whisper transcript into canonical tokens the
/// decoder can work on, dealing with what Whisper does on real radio.
///
/// - Text in a non-Latin script (Whisper hallucinating Arabic or Cyrillic on noise) is dropped:
///   nothing in it can be an English ATC word, and ASCII folding would turn it into noise.
///   Latin text with diacritics (Czech, Latvian) is kept: folded, its words may still be
///   callsigns or place names (`ruzyne`).
/// - A run of words repeated three or more times in a row (`roger roger roger roger`, a whole
///   phrase looping) is collapsed to one copy; runs with digits are left alone, since `1 1 1`
///   is a real squawk or frequency.
/// - Input is cut at ``maxTokens`` canonical tokens, so a 10 kB transcript costs bounded time.
public struct TranscriptGuard: Sendable {
    /// Most canonical tokens passed on to the decoder.
    public var maxTokens: Int
    /// Longest repeated phrase (in words) that is looked for.
    public var maxRepeatLength: Int

    /// A guard with the given limits.
    public init(maxTokens: Int = 120, maxRepeatLength: Int = 8) {
        self.maxTokens = maxTokens
        self.maxRepeatLength = maxRepeatLength
    }

    /// The cleaned canonical tokens and notes on what was changed.
    public func clean(_ transcript: String) -> (tokens: [String], notes: [String]) {
        var notes: [String] = []
        var kept = ""
        var dropped = 0
        for scalar in transcript.unicodeScalars {
            if scalar.properties.isAlphabetic && !Self.isLatin(scalar) {
                dropped += 1
                kept.unicodeScalars.append(" ")
            } else {
                kept.unicodeScalars.append(scalar)
            }
        }
        if dropped > 0 { notes.append("dropped \(dropped) characters of non-Latin script") }
        var tokens = ATCNormalizer.canonicalTokens(kept)
        let collapsed = collapseRepeats(tokens)
        if collapsed.count < tokens.count {
            notes.append("collapsed a repeated phrase (\(tokens.count - collapsed.count) words)")
            tokens = collapsed
        }
        if tokens.count > maxTokens {
            notes.append("truncated to the first \(maxTokens) of \(tokens.count) words")
            tokens = Array(tokens.prefix(maxTokens))
        }
        return (tokens, notes)
    }

    /// `tokens` with every phrase that repeats 3+ times in a row reduced to one copy.
    func collapseRepeats(_ tokens: [String]) -> [String] {
        var output: [String] = []
        output.reserveCapacity(tokens.count)
        var index = 0
        outer: while index < tokens.count {
            for length in 1...maxRepeatLength where index + 3 * length <= tokens.count {
                let phrase = tokens[index..<index + length]
                guard !phrase.contains(where: ATCNormalizer.isDigitToken) else { continue }
                var repeats = 1
                while index + (repeats + 1) * length <= tokens.count,
                    tokens[(index + repeats * length)..<(index + (repeats + 1) * length)].elementsEqual(phrase)
                {
                    repeats += 1
                }
                if repeats >= 3 {
                    output.append(contentsOf: phrase)
                    index += repeats * length
                    continue outer
                }
            }
            output.append(tokens[index])
            index += 1
        }
        return output
    }

    /// Latin letters (ASCII and the Latin-1 / Latin Extended blocks) as opposed to other scripts.
    static func isLatin(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x0250 || (0x1E00...0x1EFF).contains(scalar.value)
    }
}
