import ATCText

/// Character edit similarity between a transcript and a candidate phrase, both canonical.
///
/// Why characters rather than words: Whisper splits and merges words (`luftheancer` for
/// lufthansa, `d sign` for descend), which cost whole words in a word-level distance but only
/// a few characters here. Rank fusion knows only ranks; this measures how close the whole
/// candidate is to what was heard, which separates near-duplicates (`lufthansa 4 4 0 8 …`
/// against `lufthansa 5 3 1 8 …`) that the fused ranks leave tied or in the wrong order.
public enum EditSimilarity {
    /// 1 − Levenshtein distance / longer length over the UTF-8 bytes of `a` and `b` (1 for
    /// equal strings, 0 when either is empty).
    public static func similarity(_ a: [UInt8], _ b: [UInt8]) -> Double {
        EditDistance.similarity(a, b)
    }

    /// The similarity of two canonical transcripts (over their space-joined text).
    public static func similarity(_ a: CanonicalTranscript, _ b: CanonicalTranscript) -> Double {
        similarity(Array(a.text.utf8), Array(b.text.utf8))
    }
}
