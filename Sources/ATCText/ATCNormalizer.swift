/// The canonical ATC normal form, used both to score transcripts (WER) and as the key for
/// retrieval, plus a readable form for corrected transcripts.
///
/// The canonical form exists so that two transcripts that *say* the same thing compare equal
/// token by token, whatever spelling conventions their authors used: ATCOSIM references spell
/// numbers as words ("four three nine three", "one three four decimal six"), Whisper writes
/// digits with punctuation ("4393", "134.6,"), and the two disagree on ICAO spellings
/// ("Alpha" / "alfa"). The rules, in the order they are applied:
///
/// 1. Unicode is folded to ASCII (accents stripped, `ß`→`ss`, `ø`→`o`, …); characters with no
///    Latin equivalent (Arabic, Cyrillic, CJK) are dropped. Then everything is lowercased.
/// 2. `x-ray` becomes `xray`; a `.` between two digits becomes the word `decimal`;
///    apostrophes are deleted (`that's` → `thats`); every other non-alphanumeric character
///    separates tokens (so `twenty-five` → `twenty five`, `good-bye` → `good bye`).
/// 3. Letters glued to digits are split (`csa1` → `csa 1`, `26r` → `2 6 r`).
/// 4. Spelling variants are unified: `alpha`→`alfa`, `juliet`→`juliett`, `okay`→`ok`,
///    `goodbye`→`good bye`, `fl`→`flight level`.
/// 5. Number words become digits. `zero`…`nine` (and the ICAO `tree`, `fife`, `niner`) are one
///    digit each, so "two five" stays `2 5`; a cardinal built with tens, teens, `hundred` or
///    `thousand` is read as one number ("twenty five" → 25, "fifteen hundred" → 1500,
///    "three thousand two hundred" → 3200). See ``ATCNormalizer/canonicalTokens(_:)`` for how
///    ambiguous runs are split.
/// 6. Every digit string becomes one token per digit (`4091` → `4 0 9 1`), so "4393" and
///    "four three nine three" agree, and so do "3200" and "three thousand two hundred".
public enum ATCNormalizer {
    /// The canonical token sequence of `text` (see the type's documentation for the rules).
    ///
    /// Ambiguous number-word runs are resolved the way controllers speak: a unit word is a
    /// single digit unless `hundred` or `thousand` follows it; after `hundred`/`thousand` a
    /// tens or teen word continues the cardinal ("two hundred fifty" → 250), and so does a
    /// lone unit word that ends the run ("one hundred five" → 105), but a unit word followed by
    /// more number words starts a new digit sequence ("three hundred one two zero" → 300 1 2 0),
    /// because that is how a frequency or heading read after a level sounds.
    public static func canonicalTokens(_ text: String) -> [String] {
        let rawTokens = lexicalTokens(of: asciiFolded(text))
        var words: [String] = []
        words.reserveCapacity(rawTokens.count + 4)
        for token in rawTokens {
            if let replacement = spellingVariants[token] {
                words.append(contentsOf: replacement)
            } else {
                words.append(token)
            }
        }
        return NumberWordReader.digitTokens(from: words)
    }

    /// The canonical form as one string, tokens joined by a single space.
    public static func canonical(_ text: String) -> String {
        canonicalTokens(text).joined(separator: " ")
    }

    /// The readable form of `text`: the canonical words, with each run of digit tokens written
    /// as one number and `decimal` between two digit runs written as a dot
    /// (`lufthansa 4393 descend flight level 270`, `contact rhein 132.4`).
    ///
    /// Digit runs are grouped greedily: consecutive digits always form one number, because the
    /// canonical form cannot tell "4 3 9 3" (one callsign) from "43 93"; ATC numbers are read
    /// digit by digit, so one group per run is what a reader expects.
    public static func readable(_ text: String) -> String {
        readable(tokens: canonicalTokens(text))
    }

    /// The readable form of an already canonical token sequence (see ``readable(_:)``).
    public static func readable(tokens: [String]) -> String {
        var pieces: [String] = []
        var index = 0
        while index < tokens.count {
            guard isDigitToken(tokens[index]) else {
                pieces.append(tokens[index])
                index += 1
                continue
            }
            var number = ""
            while index < tokens.count {
                if isDigitToken(tokens[index]) {
                    number += tokens[index]
                    index += 1
                } else if tokens[index] == "decimal", index + 1 < tokens.count,
                    isDigitToken(tokens[index + 1]), !number.isEmpty, !number.contains(".")
                {
                    number += "."
                    index += 1
                } else {
                    break
                }
            }
            pieces.append(number)
        }
        return pieces.joined(separator: " ")
    }

    /// True when `token` is a single ASCII digit, the unit in which the canonical form writes
    /// numbers.
    public static func isDigitToken(_ token: String) -> Bool {
        let utf8 = token.utf8
        guard utf8.count == 1, let byte = utf8.first else { return false }
        return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// Spelling variants mapped to their ICAO / canonical spelling. Multi-word replacements
    /// keep `good bye` and `flight level` as two tokens, the way the references write them.
    static let spellingVariants: [String: [String]] = [
        "alpha": ["alfa"],
        "juliet": ["juliett"],
        "okay": ["ok"],
        "goodbye": ["good", "bye"],
        "fl": ["flight", "level"],
    ]
}
