/// Expands the embedded phraseology templates into spoken-style phrases: templates ×
/// callsigns × realistic slot values, reproducibly from a seed.
///
/// Value ranges (what `CorpusGeneratorTests` checks the output against):
/// - flight levels 050–450 in tens; altitudes 2000–15000 ft in steps of 500;
/// - headings 005–360 in fives; speeds 160–320 kt in tens; Mach .70–.86;
/// - VHF channels 118.000–136.975 MHz on the 25 kHz grid only. 8.33 kHz channel names
///   (132.005, 132.010, …) are deliberately not generated: the ATCOSIM references predate
///   8.33 kHz spacing in the upper airspace they record, so 25 kHz names are what the
///   retrieval side will meet; a 25 kHz frequency is also a valid 8.33 channel name;
/// - runways 01–36 with an optional `left`/`center`/`right`; wind 010–360° in tens at 2–35 kt;
/// - squawk codes of four octal digits, never the emergency codes 7500/7600/7700;
/// - QNH 960–1050 hPa; taxiways a letter, sometimes with a digit;
/// - registrations from `registrations.csv`, whose marks all start with a letter: a mark
///   starting with a digit (Malta's `9H`) would run into the number before it in a readback
///   ("flight level one six zero nine hotel …") and make the phrase ambiguous.
public struct CorpusGenerator: Sendable {
    /// The default seed, so that `atcfix corpus import --corpus default` is reproducible.
    public static let defaultSeed: UInt64 = 0x4154_4346_4958_0001
    /// The default number of generated utterances. 10,000 rather than 50,000: retrieval recall
    /// is the same with either (hybrid @5 0.972 both, dense 0.956 vs 0.935) and embedding them
    /// all keeps `index build` of train + default within 10 minutes (docs/BENCHMARKS.md).
    public static let defaultCount = 10_000

    /// The corpus the generator draws from.
    public let corpus: EmbeddedCorpus

    /// A generator over `corpus`.
    public init(corpus: EmbeddedCorpus) {
        self.corpus = corpus
    }

    /// `count` phrases generated from `seed`, in spoken ATC style (words, not digits). The
    /// same corpus, count and seed always give the same list.
    public func generate(count: Int = defaultCount, seed: UInt64 = defaultSeed) -> [String] {
        var random = SplitMix64(seed: seed)
        var phrases: [String] = []
        phrases.reserveCapacity(count)
        for _ in 0..<count {
            let template = random.pick(corpus.templates)
            phrases.append(expand(template, random: &random))
        }
        return phrases
    }

    /// One expansion of `template`.
    public func expand(_ template: PhraseTemplate, random: inout SplitMix64) -> String {
        var words: [String] = []
        for piece in template.pieces {
            switch piece {
            case .literal(let text): words.append(text)
            case .slot(let slot): words.append(value(for: slot, random: &random))
            }
        }
        return words.joined(separator: " ")
    }

    /// A spoken value for `slot`.
    public func value(for slot: Slot, random: inout SplitMix64) -> String {
        switch slot {
        case .callsign: return callsign(random: &random)
        case .fl: return SpokenNumbers.digits(random.inRange(5...45) * 10, width: 3)
        case .alt: return SpokenNumbers.altitude(feet: random.inRange(4...30) * 500)
        case .heading: return SpokenNumbers.digits(random.inRange(1...72) * 5, width: 3)
        case .freq: return SpokenNumbers.frequency(kHz: 118_000 + random.below(Self.channelCount) * 25)
        case .runway: return runway(random: &random)
        case .squawk: return SpokenNumbers.digits(squawk(random: &random))
        case .qnh: return SpokenNumbers.digits(String(random.inRange(960...1050)))
        case .taxiway:
            let letter = SpokenNumbers.letterWords[random.below(26)]
            return random.chance(percent: 25) ? letter + " " + SpokenNumbers.digitWords[random.inRange(1...9)] : letter
        case .wind:
            let direction = SpokenNumbers.digits(random.inRange(1...36) * 10, width: 3)
            let speed = SpokenNumbers.digits(random.inRange(2...35), width: 1)
            return "\(direction) degrees \(speed) knots"
        case .speed: return SpokenNumbers.digits(random.inRange(16...32) * 10, width: 3)
        case .mach: return "decimal " + SpokenNumbers.digits(random.inRange(70...86), width: 2)
        case .waypoint: return random.pick(corpus.waypoints)
        case .facility:
            let centres = corpus.facilities.filter { $0.kind == "centre" || $0.kind == "approach" }
            return random.pick(centres.isEmpty ? corpus.facilities : centres).name
        case .airport: return random.pick(corpus.airports)
        case .info: return random.pick(SpokenNumbers.letterWords)
        case .greeting: return random.pick(Self.greetings)
        case .farewell: return random.pick(Self.farewells)
        case .stand: return SpokenNumbers.digits(random.inRange(1...99), width: 1)
        case .minutes: return SpokenNumbers.cardinal(random.inRange(2...20))
        case .traffic:
            return "\(SpokenNumbers.cardinal(random.inRange(1...12))) o'clock \(SpokenNumbers.cardinal(random.inRange(3...25))) miles"
        case .cardinal: return random.pick(["north", "south", "east", "west"])
        }
    }

    /// Channels on the 25 kHz grid from 118.000 to 136.975 MHz inclusive.
    public static let channelCount = (136_975 - 118_000) / 25 + 1

    static let greetings = [
        "good morning", "good afternoon", "good evening", "good day", "hello", "guten tag",
        "guten morgen", "gruezi", "servus", "bonjour", "buongiorno", "hi",
    ]
    static let farewells = [
        "good bye", "bye bye", "bye", "ciao", "au revoir", "tschuss", "servus", "thank you good bye",
        "have a nice day", "good day",
    ]

    private func runway(random: inout SplitMix64) -> String {
        let number = SpokenNumbers.digits(random.inRange(1...36), width: 2)
        switch random.below(6) {
        case 0: return number + " left"
        case 1: return number + " right"
        case 2: return number + " center"
        default: return number
        }
    }

    private func squawk(random: inout SplitMix64) -> String {
        while true {
            let code = (0..<4).map { _ in String(random.below(8)) }.joined()
            if !["7500", "7600", "7700"].contains(code) { return code }
        }
    }

    /// An airline callsign (telephony + flight number, sometimes with letters, sometimes said
    /// with a spoken variant of the designator) or a general-aviation registration, full or
    /// abbreviated (first character and last two, ICAO Doc 9432 §2.7).
    private func callsign(random: inout SplitMix64) -> String {
        if random.chance(percent: 85) || corpus.registrationPrefixes.isEmpty {
            let airline = random.pick(corpus.airlines)
            var telephony = airline.telephony
            if !airline.spokenVariants.isEmpty, random.chance(percent: 20) {
                telephony = random.pick(airline.spokenVariants)
            }
            let digitCount = random.inRange(1...4)
            var number = String(random.inRange(1...9))
            for _ in 1..<digitCount { number += String(random.below(10)) }
            var spoken = SpokenNumbers.digits(number)
            if digitCount < 4, random.chance(percent: 15) {
                spoken += " " + SpokenNumbers.letterWords[random.below(26)]
            }
            return telephony + " " + spoken
        }
        let prefix = random.pick(corpus.registrationPrefixes)
        let suffix = String((0..<prefix.suffixLetters).map { _ in
            Character(Unicode.Scalar(UInt8(ascii: "A") + UInt8(random.below(26))))
        })
        let full = prefix.prefix + suffix
        if random.chance(percent: 20) {
            return SpokenNumbers.spelled(String(full.first!) + String(full.suffix(2)))
        }
        return SpokenNumbers.spelled(full)
    }
}
