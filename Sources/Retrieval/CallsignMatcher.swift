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
    }

    /// Minimum similarity of a span to a designator form.
    public static let minimumSimilarity = 0.6

    let forms: [Form]
    /// Known flight numbers per telephony, with occurrences.
    let knownByTelephony: [String: [String: Int]]
    /// Known telephonies per flight number, with occurrences.
    let knownByNumber: [String: [(telephony: String, occurrences: Int)]]

    /// A matcher over `airlines` and the callsigns `known` from the corpora.
    public init(airlines: [Airline], known: [KnownCallsign]) {
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
        forms = telephonyOfForm.keys.sorted().map { form in
            let compact = form.replacingOccurrences(of: " ", with: "")
            return Form(telephony: telephonyOfForm[form]!, letters: compact.count,
                        trigrams: Self.trigrams(compact), key: TelephonyKey.key(compact))
        }
        knownByTelephony = byTelephony
        knownByNumber = byNumber
    }

    /// The best `limit` candidates for canonical `tokens`, best first.
    public func candidates(_ tokens: [String], limit: Int) -> [CallsignCandidate] {
        guard limit > 0, !tokens.isEmpty else { return [] }
        var best: [String: CallsignCandidate] = [:]
        func offer(_ candidate: CallsignCandidate) {
            let key = candidate.telephony + "|" + candidate.flightNumber
            if let existing = best[key], existing.score >= candidate.score { return }
            best[key] = candidate
        }
        for start in tokens.indices where !ATCNormalizer.isDigitToken(tokens[start]) {
            for length in 1...3 where start + length <= tokens.count {
                let span = tokens[start..<start + length]
                if span.contains(where: ATCNormalizer.isDigitToken) { break }
                let compact = span.joined()
                guard compact.count >= 3 else { continue }
                let spanTrigrams = Self.trigrams(compact)
                let spanKey = TelephonyKey.key(compact)
                let number = Self.flightNumber(after: start + length, in: tokens)
                for form in forms where abs(form.letters - compact.count) <= max(3, compact.count / 2) {
                    var similarity = Self.dice(spanTrigrams, form.trigrams)
                    if spanKey.count >= 2 { similarity = max(similarity, TelephonyKey.similarity(spanKey, form.key)) }
                    guard similarity >= Self.minimumSimilarity else { continue }
                    var score = similarity + (start <= 1 ? 0.15 : 0)
                    if number.isEmpty {
                        score -= 0.5
                    } else if knownByTelephony[form.telephony]?[number] != nil {
                        score += 0.5
                    }
                    offer(CallsignCandidate(telephony: form.telephony, flightNumber: number, score: score))
                }
            }
        }
        for run in Self.digitRuns(tokens) where run.count >= 3 {
            for suffixLength in stride(from: run.count, through: 3, by: -1) {
                let suffix = String(run.suffix(suffixLength))
                for entry in knownByNumber[suffix] ?? [] {
                    let strength = Double(suffixLength) / Double(run.count)
                    offer(CallsignCandidate(telephony: entry.telephony, flightNumber: suffix,
                                            score: 0.4 + 0.3 * strength + min(0.1, 0.02 * Double(entry.occurrences))))
                }
            }
        }
        return best.values.sorted {
            $0.score != $1.score ? $0.score > $1.score
                : ($0.telephony != $1.telephony ? $0.telephony < $1.telephony : $0.flightNumber < $1.flightNumber)
        }.prefix(limit).map { $0 }
    }

    /// The compact flight number starting at `index`: digits, then at most two ICAO letters.
    static func flightNumber(after index: Int, in tokens: [String]) -> String {
        var number = ""
        var letters = 0
        var position = index
        while position < tokens.count, number.count < 6 {
            let token = tokens[position]
            if ATCNormalizer.isDigitToken(token), letters == 0 {
                number += token
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
