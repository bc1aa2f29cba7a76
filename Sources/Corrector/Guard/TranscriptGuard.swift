import ATCText

/// The first stage of the engine: turns a raw Whisper transcript into canonical tokens the
/// decoder can work on, dealing with what Whisper does on real radio, and bounds the work any
/// input can cause.
///
/// - Text in a non-Latin script (Whisper hallucinating Arabic or Cyrillic on noise) is dropped:
///   nothing in it can be an English ATC word, and ASCII folding would turn it into noise.
///   Latin text with diacritics (Czech, Latvian) is kept: folded, its words may still be
///   callsigns or place names (`ruzyne`).
/// - A run of words repeated three or more times in a row (`roger roger roger roger`, a whole
///   phrase looping) is collapsed to one copy; runs with digits are left alone, since `1 1 1`
///   is a real squawk or frequency.
/// - A token longer than ``maxTokenLength`` characters is no ATC word (glued text, a binary
///   blob): it is passed through unchanged and the words around it are corrected without it,
///   so its length never enters the sound-alike scans, retrieval or the model's tokenizer.
/// - Long transcripts are cut into pieces of at most ``maxTokens`` tokens, each corrected on its
///   own, so the decoder's and the model's work per piece stays bounded and nothing is dropped.
///   Beyond ``maxCorrectedTokens`` the rest is passed through unchanged, with a note.
public struct TranscriptGuard: Sendable {
    /// Most canonical tokens in one corrected piece.
    public var maxTokens: Int
    /// Longest repeated phrase (in words) that is looked for.
    public var maxRepeatLength: Int
    /// Longest token (in characters) that is corrected; longer ones pass through.
    public var maxTokenLength: Int
    /// Most tokens corrected per transcript; the rest pass through.
    public var maxCorrectedTokens: Int

    /// A guard with the given limits.
    public init(maxTokens: Int = 120, maxRepeatLength: Int = 8, maxTokenLength: Int = 64, maxCorrectedTokens: Int = 1_200) {
        self.maxTokens = max(1, maxTokens)
        self.maxRepeatLength = max(1, maxRepeatLength)
        self.maxTokenLength = max(1, maxTokenLength)
        self.maxCorrectedTokens = max(0, maxCorrectedTokens)
    }

    /// The cleaned transcript, cut into the pieces to correct and to pass through, with notes on
    /// what was changed.
    public func clean(_ transcript: String) -> GuardedTranscript {
        var notes: [String] = []
        var kept = String.UnicodeScalarView()
        var dropped = 0
        for scalar in transcript.unicodeScalars {
            if scalar.properties.isAlphabetic && !Self.isLatin(scalar) {
                dropped += 1
                kept.append(" ")
            } else {
                kept.append(scalar)
            }
        }
        if dropped > 0 { notes.append("dropped \(dropped) characters of non-Latin script") }
        var tokens = ATCNormalizer.canonicalTokens(String(kept))
        let collapsed = collapseRepeats(tokens)
        if collapsed.count < tokens.count {
            notes.append("collapsed a repeated phrase (\(tokens.count - collapsed.count) words)")
            tokens = collapsed
        }
        let (pieces, pieceNotes) = cut(tokens)
        return GuardedTranscript(heard: CanonicalTranscript(tokens: tokens), pieces: pieces, notes: notes + pieceNotes)
    }

    /// The pieces of `tokens`: runs of ordinary tokens of at most ``maxTokens`` to correct,
    /// over-long tokens and everything after ``maxCorrectedTokens`` to pass through.
    func cut(_ tokens: [String]) -> (pieces: [GuardedTranscript.Piece], notes: [String]) {
        var pieces: [GuardedTranscript.Piece] = []
        var notes: [String] = []
        var run: [String] = []
        var corrected = 0
        var longTokens = 0
        func flush() {
            guard !run.isEmpty else { return }
            pieces.append(.init(tokens: CanonicalTranscript(tokens: run), corrected: true))
            run.removeAll(keepingCapacity: true)
        }
        for (index, token) in tokens.enumerated() {
            if corrected == maxCorrectedTokens {
                flush()
                pieces.append(.init(tokens: CanonicalTranscript(tokens: tokens[index...]), corrected: false))
                notes.append("corrected the first \(maxCorrectedTokens) of \(tokens.count) words; the rest is passed through unchanged")
                break
            }
            if token.utf8.count > maxTokenLength {
                flush()
                longTokens += 1
                pieces.append(.init(tokens: CanonicalTranscript(tokens: [token]), corrected: false))
                continue
            }
            run.append(token)
            corrected += 1
            if run.count == maxTokens { flush() }
        }
        flush()
        if longTokens > 0 {
            notes.append("passed \(longTokens) word\(longTokens == 1 ? "" : "s") longer than \(maxTokenLength) characters through unchanged")
        }
        let correctedPieces = pieces.filter(\.corrected).count
        if correctedPieces > 1 {
            notes.append("corrected in \(correctedPieces) pieces of at most \(maxTokens) words")
        }
        return (pieces, notes)
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
