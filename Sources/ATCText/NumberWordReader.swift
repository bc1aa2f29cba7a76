/// Turns English number words into digit tokens (rule 5 of ``ATCNormalizer``).
///
/// Kept separate from the lexer because it works on whole words and needs look-ahead: whether
/// "three" is the digit 3 or the start of 3200 depends on the words after it. Each word is
/// classified once (one dictionary lookup), and the small grammar below runs on the classes.
enum NumberWordReader {
    /// What a number word contributes to a cardinal.
    enum NumberWord: Equatable {
        /// zero…nine (and the ICAO `tree`, `fife`, `niner`): one digit when alone.
        case unit(Int)
        /// ten…nineteen.
        case teen(Int)
        /// twenty…ninety.
        case tens(Int)
        case hundred
        case thousand
    }

    static let numberWords: [String: NumberWord] = [
        "zero": .unit(0), "one": .unit(1), "two": .unit(2), "three": .unit(3), "tree": .unit(3),
        "four": .unit(4), "five": .unit(5), "fife": .unit(5), "six": .unit(6), "seven": .unit(7),
        "eight": .unit(8), "nine": .unit(9), "niner": .unit(9),
        "ten": .teen(10), "eleven": .teen(11), "twelve": .teen(12), "thirteen": .teen(13),
        "fourteen": .teen(14), "fifteen": .teen(15), "sixteen": .teen(16), "seventeen": .teen(17),
        "eighteen": .teen(18), "nineteen": .teen(19),
        "twenty": .tens(20), "thirty": .tens(30), "forty": .tens(40), "fifty": .tens(50),
        "sixty": .tens(60), "seventy": .tens(70), "eighty": .tens(80), "ninety": .tens(90),
        "hundred": .hundred, "thousand": .thousand,
    ]

    /// `words` with every number word replaced by digit tokens; other words pass through.
    static func digitTokens(from words: [String]) -> [String] {
        let classes = words.map { numberWords[$0] }
        guard classes.contains(where: { $0 != nil }) else { return words }
        var output: [String] = []
        output.reserveCapacity(words.count + 4)
        var index = 0
        while index < words.count {
            if let (value, consumed) = cardinal(in: classes, at: index) {
                for digit in String(value).utf8 { output.append(String(UnicodeScalar(digit))) }
                index += consumed
            } else {
                output.append(words[index])
                index += 1
            }
        }
        return output
    }

    private typealias Classes = [NumberWord?]

    /// The number starting at `start` and how many words it spans, or nil if the word there
    /// is not a number word.
    private static func cardinal(in words: Classes, at start: Int) -> (value: Int, consumed: Int)? {
        guard let (head, headLength) = belowThousand(in: words, at: start) else {
            if words[start] == .thousand {
                // A bare "thousand" ("a thousand feet"): the number 1000, optionally continued.
                let rest = continuation(in: words, at: start + 1)
                return (1000 + (rest?.value ?? 0), 1 + (rest?.consumed ?? 0))
            }
            return nil
        }
        var index = start + headLength
        guard index < words.count, words[index] == .thousand else { return (head, headLength) }
        index += 1
        let rest = continuation(in: words, at: index)
        return (head * 1000 + (rest?.value ?? 0), index - start + (rest?.consumed ?? 0))
    }

    /// A number below one thousand: `[below-hundred] hundred [continuation]`, a tens word with
    /// an optional unit, a teen, or a single unit.
    private static func belowThousand(in words: Classes, at start: Int) -> (value: Int, consumed: Int)? {
        guard start < words.count else { return nil }
        if words[start] == .hundred {
            let rest = continuation(in: words, at: start + 1)
            return (100 + (rest?.value ?? 0), 1 + (rest?.consumed ?? 0))
        }
        guard let (small, smallLength) = belowHundred(in: words, at: start) else { return nil }
        let index = start + smallLength
        guard index < words.count, words[index] == .hundred else { return (small, smallLength) }
        let rest = continuation(in: words, at: index + 1)
        return (small * 100 + (rest?.value ?? 0), smallLength + 1 + (rest?.consumed ?? 0))
    }

    /// What may follow `hundred` or `thousand` inside the same cardinal: another
    /// `… hundred` (after thousand), a tens or teen word, or a unit that ends the number-word
    /// run. A unit followed by more number words is a new digit sequence instead.
    private static func continuation(in words: Classes, at start: Int) -> (value: Int, consumed: Int)? {
        guard start < words.count, let word = words[start] else { return nil }
        switch word {
        case .unit(let unit):
            let next = start + 1
            if next < words.count, let following = words[next] {
                return following == .hundred ? belowThousand(in: words, at: start) : nil
            }
            return (unit, 1)
        case .teen, .tens:
            return belowThousand(in: words, at: start)
        case .hundred, .thousand:
            return nil
        }
    }

    /// A tens word with an optional non-zero unit ("twenty five" → 25), a teen, or one unit.
    private static func belowHundred(in words: Classes, at start: Int) -> (value: Int, consumed: Int)? {
        switch words[start] {
        case .unit(let unit)?: return (unit, 1)
        case .teen(let teen)?: return (teen, 1)
        case .tens(let ten)?:
            if start + 1 < words.count, case .unit(let unit)? = words[start + 1], unit != 0 {
                return (ten + unit, 2)
            }
            return (ten, 1)
        default: return nil
        }
    }
}
