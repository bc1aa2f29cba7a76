import ATCText
import PhraseStore

/// Finds callsign candidates in a misrecognised transcript.
///
/// Two routes, merged per (telephony, flight number):
/// 1. **Designator spans.** Every run of one to three non-digit words is compared with every
///    known telephony form (listed airlines with their spoken variants, and the designators
///    seen in the indexed corpora), spaces removed, by the better of letter-trigram Dice and
///    ``TelephonyKey`` similarity; a close form followed by a flight number (digits, then at
///    most two ICAO letters) is a candidate. Its score is that similarity, plus a bonus at
///    the start of the utterance (where callsigns stand) and when the corpora have seen that
///    exact callsign; a designator heard without a number scores lower.
/// 2. **Digits.** The flight number is what Whisper gets right most often, so a run of at least
///    three digits that ends like a callsign seen in the corpora proposes that callsign even
///    when its designator is unrecognisable (`l 9 5 3 3` → aero lloyd 5 3 3).
public struct CallsignMatcher: Sendable {
    struct Form: Sendable {
        var telephony: String
        var letters: Int
        var trigrams: [UInt32]
        var key: [UInt8]
        var compact: String
        /// A spelling learnt from the noisy pairs: it counts only when heard exactly (a
        /// misspelling is no reference for similarity; fuzzy matches to it were mostly noise).
        var exactOnly: Bool
        /// The form's last word and its length, for designators cut short.
        var lastWord: String
        var lastWordLetters: Int
    }

    /// Similarity given to a designator's last word cut short by one or two letters.
    static let truncatedDesignatorSimilarity = 0.7

    /// Bonus of a known flight number one edit away from the heard one (the heard number itself
    /// gets 0.05, a known number heard exactly 0.5).
    /// Measured on ATCOSIM test (callsign recall@5 0.857 at 0, 0.863 from 0.2 to 0.35).
    static let oneEditBonus = 0.2

    /// Score of an utterance-opening word taken as an unlisted designator: above a listed
    /// designator matched only loosely (0.6–0.75 similarity + 0.15 at the start, e.g. `mission`
    /// heard right against malaysian), below a close one. 0.55 → 0.75 → 0.9 gave dev-split
    /// callsign recall@5 0.908 → 0.909 → 0.909 (test 0.908 → 0.911 → 0.912).
    static let literalDesignatorScore = 0.75

    /// Minimum similarity of a span to a designator form.
    public static let minimumSimilarity = 0.6

    let forms: [Form]
    /// The first form of each telephony, for scoring words against a known callsign's designator.
    let primaryForm: [String: Form]
    /// Frequent phraseology words that are no designator (`squawk`, `contact`): spans made only
    /// of them are skipped, which keeps `squawk 5721` from proposing `wizz go 5721`.
    let commonWords: Set<String>
    /// Spellings learnt with a stray digit (`f 1` → air france), heard exactly.
    let digitSpellings: [String: String]
    /// Least occurrences of a spelling with a stray digit in the noisy pairs.
    static let digitSpellingMinimumCount = 2
    /// Designator score of a spelling with a stray digit (a matched listed designator scores
    /// 0.6–1).
    static let digitSpellingScore = 0.8
    /// Known flight numbers per telephony, with occurrences.
    let knownByTelephony: [String: [String: Int]]
    /// Known telephonies per flight number, with occurrences.
    let knownByNumber: [String: [(telephony: String, occurrences: Int)]]

    /// Least share of a heard spelling's occurrences that must name one designator for it to
    /// become a form of that designator.
    static let heardSpellingAgreement = 0.6

    /// A matcher over `airlines` and the callsigns `known` from the corpora; `commonWords` are
    /// frequent phraseology words (words of designators are removed from it). `heardSpellings`
    /// maps how Whisper wrote a designator in the noisy pairs (`emorta`, `speaker`) to the
    /// designators it stood for, with counts (see ``heardSpellings(pairs:parser:)``): a spelling
    /// that mostly stood for one designator becomes one of its forms.
    public init(airlines: [Airline], known: [KnownCallsign], commonWords: Set<String> = [],
                heardSpellings: [String: [String: Int]] = [:]) {
        var telephonyOfForm: [String: String] = [:]
        for airline in airlines {
            for form in [airline.telephony] + airline.spokenVariants where telephonyOfForm[form] == nil {
                telephonyOfForm[form] = airline.telephony
            }
        }
        var byTelephony: [String: [String: Int]] = [:]
        var byNumber: [String: [(telephony: String, occurrences: Int)]] = [:]
        for callsign in known {
            guard let spoken = callsign.telephony else { continue }
            let telephony = telephonyOfForm[spoken] ?? spoken
            if telephonyOfForm[spoken] == nil { telephonyOfForm[spoken] = spoken }
            byTelephony[telephony, default: [:]][callsign.flightNumber, default: 0] += callsign.occurrences
            byNumber[callsign.flightNumber, default: []].append((telephony, callsign.occurrences))
        }
        // After the corpora's own designators, so that a spelling never takes over a real one.
        var heardOnly = Set<String>()
        var withDigit: [String: String] = [:]
        for (heard, designators) in heardSpellings.sorted(by: { $0.key < $1.key }) where telephonyOfForm[heard] == nil {
            let total = designators.values.reduce(0, +)
            if let last = heard.split(separator: " ").last, ATCNormalizer.isDigitToken(String(last)) {
                // A stray digit makes the spelling specific; a word that is itself a designator
                // form (`alitalia 4` of `alitalia 4 4 0 1`) would only shift the number.
                let word = String(heard.split(separator: " ").first!)
                guard let best = designators.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }),
                      best.value >= Self.digitSpellingMinimumCount,
                      Double(best.value) >= Self.heardSpellingAgreement * Double(total),
                      telephonyOfForm[word] == nil, !commonWords.contains(word)
                else { continue }
                withDigit[heard] = telephonyOfForm[best.key] ?? best.key
                continue
            }
            guard let best = designators.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }),
                  Double(best.value) >= Self.heardSpellingAgreement * Double(total),
                  heard.replacingOccurrences(of: " ", with: "").count >= 3,
                  !heard.split(separator: " ").contains(where: { commonWords.contains(String($0)) })
            else { continue }
            telephonyOfForm[heard] = telephonyOfForm[best.key] ?? best.key
            heardOnly.insert(heard)
        }
        forms = telephonyOfForm.keys.sorted().map { form in
            let compact = form.replacingOccurrences(of: " ", with: "")
            let last = form.split(separator: " ").last.map(String.init) ?? form
            return Form(telephony: telephonyOfForm[form]!, letters: compact.count,
                        trigrams: Self.trigrams(compact), key: TelephonyKey.key(compact), compact: compact,
                        exactOnly: heardOnly.contains(form), lastWord: last, lastWordLetters: last.count)
        }
        digitSpellings = withDigit
        knownByTelephony = byTelephony
        knownByNumber = byNumber
        var primary: [String: Form] = [:]
        for form in forms where primary[form.telephony] == nil || form.telephony.replacingOccurrences(of: " ", with: "").count == form.letters {
            primary[form.telephony] = form
        }
        primaryForm = primary
        let designatorWords = Set(telephonyOfForm.keys.flatMap { $0.split(separator: " ").map(String.init) })
        self.commonWords = commonWords.subtracting(designatorWords)
    }

    /// The best `limit` candidates for canonical `tokens`, best first.
    public func candidates(_ tokens: [String], limit: Int) -> [CallsignCandidate] {
        guard limit > 0, !tokens.isEmpty else { return [] }
        var best: [String: CallsignCandidate] = [:]
        func offer(_ telephony: String, _ number: String, _ score: Double) {
            let key = telephony + "|" + number
            if let existing = best[key], existing.score >= score { return }
            best[key] = CallsignCandidate(telephony: telephony, flightNumber: number, score: score)
        }
        // A designator heard with `base` similarity, then the number `heard`.
        func offerNumbers(_ telephony: String, _ heard: String, _ base: Double) {
            offer(telephony, heard, base + 0.05)
            if let number = Self.icaoLength(heard) { offer(telephony, number, base - 0.1) }
            // Whisper often runs the number into the next one (`united 690 descend` for
            // united 69) or mishears a digit: numbers this designator is known to fly that
            // are a prefix of, or one edit from, what was heard are strong candidates.
            for (known, _) in knownByTelephony[telephony] ?? [:] {
                if known == heard {
                    offer(telephony, known, base + 0.5)
                } else if heard.hasPrefix(known) {
                    offer(telephony, known, base + 0.35)
                } else if Self.withinOneEdit(known, heard) {
                    offer(telephony, known, base + Self.oneEditBonus)
                }
            }
        }
        // Route 1: a designator-like span, then the number heard after it.
        for start in tokens.indices where !Self.isNumberToken(tokens[start]) {
            for length in 1...3 where start + length <= tokens.count {
                let span = tokens[start..<start + length]
                if span.contains(where: { Self.isNumberToken($0) || Self.isRepeatWord($0) }) { break }
                if span.allSatisfy({ commonWords.contains($0) }) { continue }
                let compact = span.joined()
                let letters = compact.count
                guard letters >= 3 else { continue }
                let spanTrigrams = Self.trigrams(compact)
                let spanKey = TelephonyKey.key(compact)
                let heard = Self.flightNumber(after: start + length, in: tokens)
                let position = start <= 1 ? 0.15 : 0
                // An unknown word opening the utterance before a flight number is most likely an
                // unlisted designator heard right (`mission 6 0 1 5 3`): offer it as heard,
                // above loose matches to listed designators, below close ones.
                if start == 0, length == 1, heard.count >= 2, compact.count >= 4, !commonWords.contains(compact) {
                    offer(compact, heard, Self.literalDesignatorScore)
                    if let number = Self.icaoLength(heard) { offer(compact, number, Self.literalDesignatorScore - 0.01) }
                }
                for form in forms {
                    let cutShort = Self.isCutShort(compact, letters: letters, of: form, spanLength: length)
                    guard abs(form.letters - letters) <= max(3, letters / 2) || cutShort else { continue }
                    if form.exactOnly && form.compact != compact { continue }
                    var similarity = Self.dice(spanTrigrams, form.trigrams)
                    // Keys of one or two consonants match far too much (`spa`, `cebu` and `zap` all
                    // key to S-B), so short keys count only through the letter trigrams.
                    if spanKey.count >= 3 && form.key.count >= 3 {
                        similarity = max(similarity, TelephonyKey.similarity(spanKey, form.key))
                    }
                    // A designator cut short (`f ran 6 8 9`, `spa 8 9`): the heard letters begin
                    // the designator's last word, which is at most two letters longer.
                    if cutShort {
                        similarity = max(similarity, Self.truncatedDesignatorSimilarity)
                    }
                    guard similarity >= Self.minimumSimilarity else { continue }
                    let base = similarity + position
                    guard !heard.isEmpty else {
                        offer(form.telephony, "", base - 0.5)
                        continue
                    }
                    offerNumbers(form.telephony, heard, base)
                }
            }
        }
        // Route 1b: a spelling learnt with a stray digit (`f 1 6 8 9` for air france 6 8 9,
        // `i 4 2 2 bravo` for ifo 2 2 bravo), heard exactly, then the number.
        if !digitSpellings.isEmpty, tokens.count >= 3 {
            for start in 0..<(tokens.count - 2) where !Self.isNumberToken(tokens[start]) && ATCNormalizer.isDigitToken(tokens[start + 1]) {
                guard let telephony = digitSpellings[tokens[start] + " " + tokens[start + 1]] else { continue }
                let heard = Self.flightNumber(after: start + 2, in: tokens)
                guard !heard.isEmpty else { continue }
                offerNumbers(telephony, heard, Self.digitSpellingScore + (start <= 1 ? 0.15 : 0))
            }
        }
        // Route 2: a number the corpora know, with whatever designator similarity the words
        // before it have (`emorta 104` → air malta 104).
        for start in tokens.indices where (Self.isNumberToken(tokens[start]) || Self.isRepeatWord(tokens[start]))
            && (start == 0 || !Self.isNumberToken(tokens[start - 1]))
        {
            let heard = Self.flightNumber(after: start, in: tokens)
            guard heard.count >= 2 else { continue }
            let before = tokens[max(0, start - 3)..<start].joined()
            let beforeTrigrams = Self.trigrams(before), beforeKey = TelephonyKey.key(before)
            // The number as heard, and its prefixes and suffixes of three or more characters
            // (Whisper runs numbers together and prepends stray digits: `7 8 0 6` for 806).
            var pieces: [(number: String, strength: Double)] = [(heard, 1)]
            if heard.count > 3 {
                for length in 3..<heard.count {
                    let strength = Double(length) / Double(heard.count)
                    pieces.append((String(heard.prefix(length)), strength))
                    pieces.append((String(heard.suffix(length)), strength * 0.9))
                }
            }
            for piece in pieces {
                for entry in knownByNumber[piece.number] ?? [] {
                    var similarity = 0.0
                    if let form = primaryForm[entry.telephony], !before.isEmpty {
                        similarity = max(Self.dice(beforeTrigrams, form.trigrams),
                                         beforeKey.count >= 3 && form.key.count >= 3
                                             ? TelephonyKey.similarity(beforeKey, form.key) : 0)
                    }
                    offer(entry.telephony, piece.number,
                          0.6 + 0.3 * piece.strength + 0.5 * similarity + min(0.1, 0.02 * Double(entry.occurrences)))
                }
            }
        }
        return best.values.sorted {
            $0.score != $1.score ? $0.score > $1.score
                : ($0.telephony != $1.telephony ? $0.telephony < $1.telephony : $0.flightNumber < $1.flightNumber)
        }.prefix(limit).map { $0 }
    }

    /// How Whisper wrote designators in noisy pairs: for each pair whose reference has a
    /// telephony callsign, the one and two words right before that callsign's flight number in
    /// the hypothesis (when the hypothesis has the number's digits, unbroken), mapped to the
    /// reference's designator as spoken, with counts. Spellings equal to the designator are
    /// left out (they are forms already).
    public static func heardSpellings(pairs: [(hypothesis: [String], reference: [String])], parser: CallsignParser)
        -> [String: [String: Int]]
    {
        var spellings: [String: [String: Int]] = [:]
        for pair in pairs {
            guard let callsign = parser.parse(pair.reference), callsign.kind == .airline || callsign.kind == .unlistedTelephony,
                  let designator = callsign.telephony
            else { continue }
            let digits = callsign.flightNumber.prefix { $0.isNumber }.map(String.init)
            let tokens = pair.hypothesis
            guard digits.count >= 2, tokens.count > digits.count else { continue }
            for start in 1...(tokens.count - digits.count) where Array(tokens[start..<start + digits.count]) == digits {
                if ATCNormalizer.isDigitToken(tokens[start - 1]) {
                    // One stray digit after a non-digit word (`f 1 6 8 9` for air france 6 8 9).
                    if start >= 2, tokens[start - 1].count == 1, !Self.isNumberToken(tokens[start - 2]) {
                        let span = tokens[start - 2] + " " + tokens[start - 1]
                        spellings[span, default: [:]][designator, default: 0] += 1
                        break
                    }
                    continue
                }
                var spans = [tokens[start - 1]]
                if start >= 2, !ATCNormalizer.isDigitToken(tokens[start - 2]) {
                    spans.append(tokens[start - 2] + " " + tokens[start - 1])
                }
                for span in spans where span != designator {
                    spellings[span, default: [:]][designator, default: 0] += 1
                }
                break
            }
        }
        return spellings
    }

    /// The first four digits of a longer heard number: flight numbers have at most four
    /// characters (ICAO), so a longer run is the number run into what follows it (`reach 6 0 1
    /// 5 3` as Whisper wrote `Reach 60153`); nil for numbers of legal length.
    static func icaoLength(_ heard: String) -> String? {
        guard heard.count > 4, heard.prefix(4).allSatisfy(\.isNumber) else { return nil }
        return String(heard.prefix(4))
    }

    /// Whether the heard `compact` span of `spanLength` words is `form`'s last word cut short by
    /// one or two letters (`fran` of air france).
    static func isCutShort(_ compact: String, letters: Int, of form: Form, spanLength: Int) -> Bool {
        guard spanLength <= 2, letters >= 3, form.lastWordLetters > letters, form.lastWordLetters - letters <= 2 else { return false }
        return form.lastWord.hasPrefix(compact)
    }

    /// Whether `a` and `b` differ by one inserted, deleted or substituted character.
    static func withinOneEdit(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard abs(x.count - y.count) <= 1, x != y else { return false }
        return EditDistance.levenshtein(x, y, maxEdits: 1) == 1
    }

    static func isRepeatWord(_ token: String) -> Bool { token == "double" || token == "triple" }

    /// A digit, or `h` (Whisper's spelling of a spoken "eight" inside numbers: `H221`).
    static func isNumberToken(_ token: String) -> Bool {
        ATCNormalizer.isDigitToken(token) || token == "h"
    }

    /// The compact flight number starting at `index`: digits, then at most two ICAO letters.
    static func flightNumber(after index: Int, in tokens: [String]) -> String {
        var number = ""
        var letters = 0
        var position = index
        while position < tokens.count, number.count < 6 {
            let token = tokens[position]
            if isNumberToken(token), letters == 0 {
                number += token == "h" ? "8" : token
            } else if (token == "decimal" || token == "point"), !number.isEmpty, letters == 0, position + 1 < tokens.count,
                      ATCNormalizer.isDigitToken(tokens[position + 1])
            {
                // Whisper writes a spoken flight number as a decimal (`air france 3.261`).
            } else if token == "double" || token == "triple", letters == 0, position + 1 < tokens.count,
                      ATCNormalizer.isDigitToken(tokens[position + 1])
            {
                number += String(repeating: tokens[position + 1], count: token == "double" ? 2 : 3)
                position += 1
            } else if !number.isEmpty, letters < 2, let letter = SpokenNumbers.letterForWord[token] {
                number.append(letter)
                letters += 1
            } else {
                break
            }
            position += 1
        }
        return number
    }

    /// The maximal runs of digit tokens, each compacted (`4 3 9 3` → `4393`).
    static func digitRuns(_ tokens: [String]) -> [String] {
        var runs: [String] = []
        var current = ""
        for token in tokens {
            if ATCNormalizer.isDigitToken(token) {
                current += token
            } else if !current.isEmpty {
                runs.append(current)
                current = ""
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    /// Sorted distinct letter trigrams of ` word `, each packed into 24 bits.
    static func trigrams(_ word: String) -> [UInt32] {
        let bytes = [UInt8(ascii: " ")] + Array(word.utf8) + [UInt8(ascii: " ")]
        guard bytes.count >= 3 else { return [] }
        var result: [UInt32] = []
        for i in 0...(bytes.count - 3) {
            result.append(UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]))
        }
        return Array(Set(result)).sorted()
    }

    /// Dice similarity of two sorted trigram lists.
    static func dice(_ a: [UInt32], _ b: [UInt32]) -> Double {
        guard !a.isEmpty || !b.isEmpty else { return 0 }
        var i = 0, j = 0, common = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] {
                common += 1
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return 2 * Double(common) / Double(a.count + b.count)
    }
}
