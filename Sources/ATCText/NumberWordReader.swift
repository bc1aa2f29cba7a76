/// Turns English number words into digit tokens (rule 5 of ``ATCNormalizer``).
///
/// Kept separate from the lexer because it works on whole words and needs look-ahead: whether
/// "three" is the digit 3 or the start of 3200 depends on the words after it.
enum NumberWordReader {
    /// Words read as one digit each, including the ICAO radiotelephony spellings.
    static let units: [String: Int] = [
        "zero": 0, "one": 1, "two": 2, "three": 3, "tree": 3, "four": 4, "five": 5, "fife": 5,
        "six": 6, "seven": 7, "eight": 8, "nine": 9, "niner": 9,
    ]
    /// Ten to nineteen.
    static let teens: [String: Int] = [
        "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
        "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    ]
    /// Twenty to ninety.
    static let tens: [String: Int] = [
        "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90,
    ]

    static func isNumberWord(_ word: String) -> Bool {
        units[word] != nil || teens[word] != nil || tens[word] != nil || word == "hundred"
            || word == "thousand"
    }

    /// `words` with every number word replaced by digit tokens; other words pass through.
    static func digitTokens(from words: [String]) -> [String] {
        var output: [String] = []
        output.reserveCapacity(words.count)
        var index = 0
        while index < words.count {
            if let (value, consumed) = cardinal(in: words, at: index) {
                for digit in String(value).utf8 { output.append(String(UnicodeScalar(digit))) }
                index += consumed
            } else {
                output.append(words[index])
                index += 1
            }
        }
        return output
    }

    /// The number starting at `start` and how many words it spans, or nil if `words[start]`
    /// is not a number word.
    static func cardinal(in words: [String], at start: Int) -> (value: Int, consumed: Int)? {
        guard let (head, headLength) = belowThousand(in: words, at: start) else {
            if start < words.count, words[start] == "thousand" {
                // A bare "thousand" ("a thousand feet"): the number 1000, optionally continued.
                let rest = continuation(in: words, at: start + 1)
                return (1000 + (rest?.value ?? 0), 1 + (rest?.consumed ?? 0))
            }
            return nil
        }
        var index = start + headLength
        guard index < words.count, words[index] == "thousand" else { return (head, headLength) }
        index += 1
        let rest = continuation(in: words, at: index)
        return (head * 1000 + (rest?.value ?? 0), index - start + (rest?.consumed ?? 0))
    }

    /// A number below one thousand: `[below-hundred] hundred [continuation]`, a tens word with
    /// an optional unit, a teen, or a single unit.
    private static func belowThousand(in words: [String], at start: Int) -> (value: Int, consumed: Int)? {
        guard start < words.count else { return nil }
        if words[start] == "hundred" {
            let rest = continuation(in: words, at: start + 1)
            return (100 + (rest?.value ?? 0), 1 + (rest?.consumed ?? 0))
        }
        guard let (small, smallLength) = belowHundred(in: words, at: start) else { return nil }
        let index = start + smallLength
        guard index < words.count, words[index] == "hundred" else { return (small, smallLength) }
        let rest = continuation(in: words, at: index + 1)
        return (small * 100 + (rest?.value ?? 0), smallLength + 1 + (rest?.consumed ?? 0))
    }

    /// What may follow `hundred` or `thousand` inside the same cardinal: another
    /// `… hundred` (after thousand), a tens or teen word, or a unit that ends the number-word
    /// run. A unit followed by more number words is a new digit sequence instead.
    private static func continuation(in words: [String], at start: Int) -> (value: Int, consumed: Int)? {
        guard start < words.count else { return nil }
        let word = words[start]
        if let unit = units[word] {
            let next = start + 1
            if next < words.count, words[next] == "hundred" {
                return belowThousand(in: words, at: start)
            }
            if next < words.count, isNumberWord(words[next]) { return nil }
            return (unit, 1)
        }
        if teens[word] != nil || tens[word] != nil {
            return belowThousand(in: words, at: start)
        }
        return nil
    }

    /// A tens word with an optional unit ("twenty five" → 25), a teen, or one unit.
    private static func belowHundred(in words: [String], at start: Int) -> (value: Int, consumed: Int)? {
        let word = words[start]
        if let unit = units[word] { return (unit, 1) }
        if let teen = teens[word] { return (teen, 1) }
        if let ten = tens[word] {
            if start + 1 < words.count, let unit = units[words[start + 1]], unit != 0 {
                return (ten + unit, 2)
            }
            return (ten, 1)
        }
        return nil
    }
}
