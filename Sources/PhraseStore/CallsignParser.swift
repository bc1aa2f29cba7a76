import ATCText

/// Finds callsigns in canonical ATC transcripts (the token form of ``ATCNormalizer``).
///
/// A callsign is recognised as one of (ICAO Doc 9432 chapter 2):
/// 1. a listed telephony designator (one to three words, including spoken variants such as
///    `speed bird` or `hapag`) followed by a flight number: one to four characters, starting
///    with a digit, digits then at most two ICAO letters (`swiss 2 8 1 kilo`), with `double` /
///    `triple` expanded — abbreviated numbers are just shorter;
/// 2. a registration spelled in the ICAO alphabet: four to six letter words (`delta echo alfa
///    bravo charlie`), `november` followed by digits and letters, or the abbreviated form of
///    three letters (first and last two characters) when it stands at the start or the end
///    of the utterance; letter runs after `via`, `information`, `taxiway`, … are taxiways and
///    ATIS letters, not callsigns;
/// 3. at the start of the utterance (possibly after a greeting), a word the parser does not
///    know as ATC vocabulary, optionally followed by a designator word such as `air`,
///    followed by a flight number of at least two characters that is not a frequency — so
///    unlisted and fictitious designators (`jetcom 1 3`) are still found;
/// 4. at the start of the utterance, a flight number alone (four digits) followed by an
///    instruction, the controller's abbreviated form once the designator is established.
public struct CallsignParser: Sendable {
    private let designators: [String: Airline]
    private let longestDesignator: Int
    private let vocabulary: Set<String>

    /// A parser knowing `airlines` and treating `vocabulary` (ATC words, facility and
    /// waypoint names) as words that cannot be an unlisted designator.
    public init(airlines: [Airline], vocabulary: Set<String>) {
        var designators: [String: Airline] = [:]
        var longest = 1
        for airline in airlines {
            for form in [airline.telephony] + airline.spokenVariants where designators[form] == nil {
                designators[form] = airline
                longest = max(longest, form.split(separator: " ").count)
            }
        }
        self.designators = designators
        self.longestDesignator = longest
        self.vocabulary = vocabulary.union(Self.baseVocabulary).union(Self.greetingWords)
    }

    /// A parser over the embedded corpus: its airlines, and its templates, facilities,
    /// aerodromes and waypoints as vocabulary.
    public init(corpus: EmbeddedCorpus) {
        var words = Set<String>()
        for template in corpus.templates {
            for case .literal(let text) in template.pieces {
                words.formUnion(ATCNormalizer.canonicalTokens(text))
            }
        }
        for name in corpus.facilities.map(\.name) + corpus.airports + corpus.waypoints {
            words.formUnion(name.split(separator: " ").map(String.init))
        }
        self.init(airlines: corpus.airlines, vocabulary: words)
    }

    /// The first callsign in `tokens` (canonical tokens), if any.
    ///
    /// A callsign corrected on the spot (`alitalia 4 correction alitalia 4 0 1`) yields the
    /// corrected one.
    public func parse(_ tokens: [String]) -> ParsedCallsign? {
        var index = 0
        while index < tokens.count {
            if let found = callsign(at: index, in: tokens) {
                let next = found.tokenRange.upperBound
                if next + 1 < tokens.count, tokens[next] == "correction",
                   let corrected = callsign(at: next + 1, in: tokens)
                {
                    return corrected
                }
                return found
            }
            index += 1
        }
        return nil
    }

    /// Every non-overlapping callsign in `tokens`, left to right.
    public func parseAll(_ tokens: [String]) -> [ParsedCallsign] {
        var found: [ParsedCallsign] = []
        var index = 0
        while index < tokens.count {
            if let callsign = callsign(at: index, in: tokens) {
                found.append(callsign)
                index = callsign.tokenRange.upperBound
            } else {
                index += 1
            }
        }
        return found
    }

    /// The first callsign in the canonical form of `text`.
    public func parse(text: String) -> ParsedCallsign? {
        parse(ATCNormalizer.canonicalTokens(text))
    }

    // MARK: - Recognisers

    private func callsign(at index: Int, in tokens: [String]) -> ParsedCallsign? {
        if let listed = listedAirline(at: index, in: tokens) { return listed }
        if let registration = registration(at: index, in: tokens) { return registration }
        if isCallsignPosition(index, in: tokens) {
            if let unlisted = unlistedDesignator(at: index, in: tokens) { return unlisted }
            if let bare = bareFlightNumber(at: index, in: tokens) { return bare }
        }
        return nil
    }

    private func listedAirline(at index: Int, in tokens: [String]) -> ParsedCallsign? {
        var length = min(longestDesignator, tokens.count - index)
        while length >= 1 {
            let form = tokens[index..<index + length].joined(separator: " ")
            if let airline = designators[form] {
                // `condor air 2 5 7`, `israeli air 4 4 2`: a designator word the list does not
                // spell out may follow the listed form.
                var numberStart = index + length
                if numberStart < tokens.count, Self.designatorSuffixes.contains(tokens[numberStart]),
                   flightNumber(from: numberStart, in: tokens, minimumLength: 1) == nil
                {
                    numberStart += 1
                }
                if let number = flightNumber(from: numberStart, in: tokens, minimumLength: 1) {
                    let range = index..<number.end
                    return ParsedCallsign(tokenRange: range, kind: .airline,
                                          telephony: tokens[index..<numberStart].joined(separator: " "), airline: airline,
                                          flightNumber: number.text, spoken: tokens[range].joined(separator: " "))
                }
            }
            length -= 1
        }
        return nil
    }

    private func registration(at index: Int, in tokens: [String]) -> ParsedCallsign? {
        guard SpokenNumbers.letterForWord[tokens[index]] != nil else { return nil }
        if index > 0, Self.letterContextWords.contains(tokens[index - 1])
            || SpokenNumbers.letterForWord[tokens[index - 1]] != nil
        {
            return nil
        }
        var letters = ""
        var end = index
        if tokens[index] == "november" {
            // US-style N-number: digits then letters.
            letters = "N"
            end += 1
            while end < tokens.count, letters.count < 6 {
                if ATCNormalizer.isDigitToken(tokens[end]) {
                    letters += tokens[end]
                } else if let letter = SpokenNumbers.letterForWord[tokens[end]], letters.count > 1 {
                    letters.append(letter)
                } else {
                    break
                }
                end += 1
            }
            if letters.count >= 3, letters.dropFirst().contains(where: \.isNumber) {
                return registrationCallsign(index..<end, letters, tokens)
            }
            letters = ""
            end = index
        }
        while end < tokens.count, letters.count < 6, let letter = SpokenNumbers.letterForWord[tokens[end]] {
            letters.append(letter)
            end += 1
        }
        let atStart = isCallsignPosition(index, in: tokens)
        let atEnd = end == tokens.count
        if letters.count >= 4 || (letters.count == 3 && (atStart || atEnd)) {
            return registrationCallsign(index..<end, letters, tokens)
        }
        return nil
    }

    private func registrationCallsign(_ range: Range<Int>, _ letters: String, _ tokens: [String]) -> ParsedCallsign {
        ParsedCallsign(tokenRange: range, kind: .registration, telephony: nil, airline: nil, flightNumber: letters,
                       spoken: tokens[range].joined(separator: " "))
    }

    /// An unlisted designator at the start of the utterance: an unknown word, or a place
    /// name followed by a designator word (`hamburg air`), or any word followed by an
    /// unknown one (`speed way`); then a flight number of two to five characters that is not
    /// the start of a frequency or a longer number.
    private func unlistedDesignator(at index: Int, in tokens: [String]) -> ParsedCallsign? {
        let word = tokens[index]
        guard word.allSatisfy({ $0.isLetter }), SpokenNumbers.letterForWord[word] == nil,
              !Self.greetingWords.contains(word), !Self.fillerWords.contains(word)
        else { return nil }
        let next = index + 1 < tokens.count ? tokens[index + 1] : nil
        var candidates: [(end: Int, minimumLength: Int)] = []
        if let next, Self.designatorSuffixes.contains(next) || isUnknownWord(next) {
            if isUnknownWord(word) || !Self.baseVocabulary.contains(word) || isUnknownWord(next) {
                candidates.append((index + 2, isUnknownWord(word) ? 2 : 3))
            }
        }
        if isUnknownWord(word) { candidates.append((index + 1, 2)) }
        for candidate in candidates {
            guard let number = flightNumber(from: candidate.end, in: tokens, minimumLength: candidate.minimumLength,
                                            maximumLength: 5)
            else { continue }
            if number.end < tokens.count, tokens[number.end] == "decimal" || ATCNormalizer.isDigitToken(tokens[number.end]) {
                continue
            }
            let range = index..<number.end
            return ParsedCallsign(tokenRange: range, kind: .unlistedTelephony,
                                  telephony: tokens[index..<candidate.end].joined(separator: " "), airline: nil,
                                  flightNumber: number.text, spoken: tokens[range].joined(separator: " "))
        }
        return nil
    }

    /// A flight number said without its designator (`3 6 0 4 climb to flight level 3 4 0`):
    /// exactly four digits at the start of the utterance, followed by a word that does not
    /// make them a level, frequency, altitude, heading or confirmation.
    private func bareFlightNumber(at index: Int, in tokens: [String]) -> ParsedCallsign? {
        let end = index + 4
        guard end < tokens.count, tokens[index..<end].allSatisfy(ATCNormalizer.isDigitToken),
              !ATCNormalizer.isDigitToken(tokens[end]), !Self.numberContinuations.contains(tokens[end])
        else { return nil }
        return ParsedCallsign(tokenRange: index..<end, kind: .flightNumberOnly, telephony: nil, airline: nil,
                              flightNumber: tokens[index..<end].joined(), spoken: tokens[index..<end].joined(separator: " "))
    }

    /// A flight number starting at `start`: a digit first, then digits, then at most two
    /// letters, four characters at most; `double`/`triple` repeat the next digit and an `o`
    /// between digits is a zero.
    private func flightNumber(from start: Int, in tokens: [String], minimumLength: Int,
                              maximumLength: Int = 4) -> (text: String, end: Int)? {
        var text = ""
        var letterCount = 0
        var index = start
        while index < tokens.count, text.count < maximumLength {
            let token = tokens[index]
            if ATCNormalizer.isDigitToken(token) {
                if letterCount > 0 { break }
                text += token
                index += 1
            } else if token == "o", !text.isEmpty, letterCount == 0, index + 1 < tokens.count,
                      ATCNormalizer.isDigitToken(tokens[index + 1])
            {
                // "transwede one o one": inside a number a spoken "o" is a zero (the letter O is
                // "oscar"); only between digits, so that "… one o clock" stays what it is.
                text += "0"
                index += 1
            } else if let repeats = ["double": 2, "triple": 3][token], index + 1 < tokens.count,
                      ATCNormalizer.isDigitToken(tokens[index + 1]), letterCount == 0, text.count + repeats <= maximumLength
            {
                text += String(repeating: tokens[index + 1], count: repeats)
                index += 2
            } else if let letter = SpokenNumbers.letterForWord[token], !text.isEmpty, letterCount < 2 {
                text.append(letter)
                letterCount += 1
                index += 1
            } else {
                break
            }
        }
        guard let first = text.first, first.isNumber, text.count >= minimumLength else { return nil }
        return (text, index)
    }

    /// The start of the utterance, or right after greetings and fillers that precede a
    /// callsign (`guten tag`, `hello`, `and`).
    private func isCallsignPosition(_ index: Int, in tokens: [String]) -> Bool {
        tokens[..<index].allSatisfy { Self.greetingWords.contains($0) || Self.fillerWords.contains($0) }
    }

    private func isUnknownWord(_ word: String) -> Bool {
        guard word.count >= 2, word.allSatisfy({ $0.isLetter }) else { return false }
        return !vocabulary.contains(word) && SpokenNumbers.letterForWord[word] == nil && designators[word] == nil
    }

    /// Words after four digits that make them something other than a callsign.
    static let numberContinuations: Set<String> = [
        "decimal", "point", "feet", "ft", "knots", "degrees", "miles", "correct", "hundred", "thousand", "hpa",
        "millibars", "is", "please",
    ]
    static let greetingWords: Set<String> = [
        "good", "morning", "afternoon", "evening", "day", "hello", "hallo", "hi", "guten", "tag", "morgen",
        "abend", "bonjour", "bonsoir", "buongiorno", "buonasera", "gruezi", "gruss", "servus", "hoi", "ciao",
        "bye", "tschuss", "salut", "dobry", "den", "welcome",
    ]
    static let fillerWords: Set<String> = [
        "and", "uh", "eh", "er", "ah", "so", "now", "roger", "okay", "ok", "yes", "sorry", "affirm", "break", "o",
    ]
    /// Words after which ICAO letters are taxiways, ATIS letters, routes or spelled names.
    static let letterContextWords: Set<String> = [
        "via", "information", "info", "taxiway", "taxi", "point", "stand", "gate", "atis", "on", "apron",
        "holding", "intersection", "departure", "arrival", "route",
    ]
    /// Words that continue a designator (`tun air`, `london airtours`).
    static let designatorSuffixes: Set<String> = [
        "air", "airways", "airlines", "airline", "jet", "lines", "line", "express", "cargo", "wings", "lloyd",
        "aviation", "airtours", "med", "force", "airforce",
    ]
    /// ATC words that are never a designator, beyond those in the templates.
    static let baseVocabulary: Set<String> = [
        "flight", "level", "heading", "turn", "left", "right", "climb", "climbing", "descend", "descending",
        "contact", "squawk", "speed", "knots", "decimal", "runway", "qnh", "maintain", "maintaining", "direct",
        "proceed", "proceeding", "report", "identified", "radar", "to", "on", "at", "for", "or", "the", "a", "is",
        "then", "after", "via", "passing", "cleared", "affirm", "affirmative", "negative", "correction", "confirm",
        "say", "again", "expect", "continue", "reduce", "increase", "minimum", "maximum", "mach", "number",
        "feet", "altitude", "traffic", "information", "yes", "no", "thank", "thanks", "you", "please", "i", "we",
        "your", "my", "unable", "wilco", "standby", "stand", "by", "time", "check", "recleared", "route", "own",
        "navigation", "resume", "cruise", "rate", "minute", "minutes", "miles", "degrees", "o", "clock",
        "oclock", "from", "of", "with", "in", "out", "up", "down", "higher", "lower", "request", "call",
        "calling", "station", "that", "this", "what", "sorry", "disregard", "it", "be", "are", "will", "can",
        "not", "all", "level", "fly", "present", "until", "further", "advise", "approved", "when", "ready",
        "leaving", "reaching", "crossing", "cross", "above", "below", "between", "over", "behind", "follow",
        "also", "just", "do", "did", "have", "has", "there", "here", "any", "than", "more", "less", "only",
        "correct", "verify", "accept", "acceptable", "due", "lost", "received", "reading", "read", "how",
        "loud", "clear", "five", "hundred", "thousand", "free", "speech", "listening", "out", "monitor",
        "squawking", "ident", "mode", "charlie", "expedite", "immediately", "avoid", "vectors", "vector",
        "approach", "ils", "localizer", "established", "final", "tower", "ground", "delivery", "centre",
        "center", "control", "arrival", "departure", "information", "wind", "land", "landing", "takeoff",
        "take", "off", "hold", "holding", "short", "taxi", "line", "wait", "go", "around", "vacate", "vacated",
        "back", "track", "backtrack", "pushback", "push", "start", "startup", "airborne", "visual", "contact",
        "contacting", "frequency", "change", "changing", "stop", "resume", "normal", "was", "were", "he", "she",
        "they", "them", "me", "us", "am", "an", "as", "if", "but", "because", "about", "which", "who", "where",
        "why", "north", "south", "east", "west", "level", "ok", "okay", "alright", "good", "nice", "day",
    ]
}
