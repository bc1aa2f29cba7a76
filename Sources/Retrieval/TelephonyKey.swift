import ATCText

/// A coarse phonetic key for telephony designators as Whisper misspells them.
///
/// Whisper keeps a designator's consonant skeleton far better than its vowels (`sabina` for
/// sabena, `luftheancer` for lufthansa, `hermalt` for air malta), so the key keeps consonant
/// classes — voiced and unvoiced pairs merged (b/p, d/t, g/k/c/q, f/v, s/z) — drops vowels, `h`,
/// `w`, `y` and word breaks, and collapses repeats. Two designators sound alike when their keys
/// are within a small edit distance.
public enum TelephonyKey {
    /// The key of `text` (lower-case letters; anything else is ignored).
    public static func key(_ text: String) -> [UInt8] {
        let letters = Array(text.lowercased().utf8).filter { $0 >= 97 && $0 <= 122 }
        var key: [UInt8] = []
        for (index, letter) in letters.enumerated() {
            let next: UInt8? = index + 1 < letters.count ? letters[index + 1] : nil
            var code: UInt8?
            switch letter {
            case UInt8(ascii: "b"), UInt8(ascii: "p"):
                code = next == UInt8(ascii: "h") && letter == UInt8(ascii: "p") ? UInt8(ascii: "F") : UInt8(ascii: "B")
            case UInt8(ascii: "f"), UInt8(ascii: "v"): code = UInt8(ascii: "F")
            case UInt8(ascii: "d"), UInt8(ascii: "t"): code = UInt8(ascii: "T")
            case UInt8(ascii: "c"):
                // A soft c (before e, i, y) sounds as s.
                code = next.map { [UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "y")].contains($0) } == true
                    ? UInt8(ascii: "S") : UInt8(ascii: "K")
            case UInt8(ascii: "g"), UInt8(ascii: "k"), UInt8(ascii: "q"): code = UInt8(ascii: "K")
            case UInt8(ascii: "s"), UInt8(ascii: "z"): code = UInt8(ascii: "S")
            case UInt8(ascii: "x"):
                key.append(UInt8(ascii: "K"))
                code = UInt8(ascii: "S")
            case UInt8(ascii: "j"): code = UInt8(ascii: "J")
            case UInt8(ascii: "l"): code = UInt8(ascii: "L")
            case UInt8(ascii: "m"): code = UInt8(ascii: "M")
            case UInt8(ascii: "n"): code = UInt8(ascii: "N")
            case UInt8(ascii: "r"): code = UInt8(ascii: "R")
            default: code = nil   // vowels, h, w, y
            }
            if let code, key.last != code { key.append(code) }
        }
        return key
    }

    /// 1 − Levenshtein distance / longer length (1 for equal keys, 0 when both are empty).
    public static func similarity(_ a: [UInt8], _ b: [UInt8]) -> Double {
        let longer = max(a.count, b.count)
        guard longer > 0 else { return 0 }
        return 1 - EditDistance.normalized(a, b)
    }
}
