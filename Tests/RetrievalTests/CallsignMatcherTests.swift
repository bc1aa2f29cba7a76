import ATCText
import PhraseStore
import Testing
@testable import Retrieval

@Suite struct CallsignMatcherTests {
    private let airlines = [
        Airline(icao: "SAB", telephony: "sabena", name: "Sabena", country: "Belgium"),
        Airline(icao: "DLH", telephony: "lufthansa", name: "Lufthansa", country: "Germany"),
        Airline(icao: "AMC", telephony: "air malta", name: "Air Malta", country: "Malta"),
        Airline(icao: "AEF", telephony: "aero lloyd", name: "Aero Lloyd", country: "Germany", spokenVariants: ["aerolloyd"]),
        Airline(icao: "AZA", telephony: "alitalia", name: "Alitalia", country: "Italy"),
        Airline(icao: "BAW", telephony: "speedbird", name: "British Airways", country: "United Kingdom"),
        Airline(icao: "CFG", telephony: "condor", name: "Condor", country: "Germany"),
        Airline(icao: "CEB", telephony: "cebu", name: "Cebu Pacific", country: "Philippines"),
        Airline(icao: "AFR", telephony: "air france", name: "Air France", country: "France"),
        Airline(icao: "MAS", telephony: "malaysian", name: "Malaysia Airlines", country: "Malaysia"),
    ]
    private let known = [
        KnownCallsign(telephony: "aero lloyd", flightNumber: "533", occurrences: 3),
        KnownCallsign(telephony: "speedbird", flightNumber: "2839", occurrences: 2),
        KnownCallsign(telephony: "united", flightNumber: "69", occurrences: 1),
    ]

    private func top(_ text: String, limit: Int = 5) -> [String] {
        let matcher = CallsignMatcher(airlines: airlines, known: known, commonWords: ["descend", "contact", "squawk"])
        return matcher.candidates(ATCNormalizer.canonicalTokens(text), limit: limit).map {
            $0.telephony + " " + $0.flightNumber
        }
    }

    @Test func whisperSpellingsOfDesignators() {
        #expect(top("Sabina 481, Ryan identified.").first == "sabena 481")
        #expect(top("Luftheancer 5318 contact Zurich 134.6").first == "lufthansa 5318")
        #expect(top("hermalt 104 descend flight level 250").first == "air malta 104")
        #expect(top("Aletala 324 for good afternoon").first == "alitalia 324")
    }

    @Test func digitsProposeAKnownCallsign() {
        // The designator is lost; the known flight number 533 at the end of the run finds it.
        #expect(top("l 9 5 3 3 turn right").contains("aero lloyd 533"))
        // A known number read into the next one: 2839 heard as 2839340.
        #expect(top("Speedbird 2839340 find a level").first == "speedbird 2839")
        // Spelled with a word Whisper invented, but the number is known for speedbird only.
        #expect(top("Speaker 2839, Rogers, Quak 5744.").first == "speedbird 2839")
    }

    @Test func numberFormsAndEmptyInput() {
        #expect(top("Condo triple six").first == "condor 666")
        #expect(top("Air France 3.261, fly heading 255.").first == "air france 3261")
        // `spa` and `cebu` share the consonant key S-B; a two-consonant key must not match.
        #expect(!top("Spa 8 9 contact").contains("cebu 89"))
        #expect(top("Lufthansa H221 contact").first == "lufthansa 8221")
        #expect(top("").isEmpty)
    }

    @Test func overlongNumbersAndCutShortDesignators() {
        // ICAO flight numbers have at most four characters: an unknown five-digit run also
        // proposes its first four digits.
        let long = top("Reach 60153 left heading 050")
        #expect(long.contains("reach 60153") && long.contains("reach 6015"))
        // `f ran` is air france's last word cut short by two letters.
        #expect(top("F-RAN 324 contact Rhein").contains("air france 324"))
        // An unlisted designator heard at the start stays a candidate beside a listed one that
        // sounds alike (mission and malaysian: keys M-S-N and M-L-S-N).
        let unlisted = top("Mission 6 0 1 5 3 climb flight level 340")
        #expect(unlisted.prefix(3).contains("mission 60153") && unlisted.contains("malaysian 60153"))
        // Three letters off is too far: `fr` is no designator.
        #expect(!top("Fr 324 contact Rhein").contains("air france 324"))
    }

    @Test func telephonyKeyKeepsConsonantClasses() {
        // Hand-derived: s-b-n for both spellings; h and vowels dropped, l-f-t-h-n-s → L F T N S.
        #expect(TelephonyKey.key("sabina") == Array("SBN".utf8))
        #expect(TelephonyKey.key("sabena") == Array("SBN".utf8))
        #expect(TelephonyKey.key("lufthansa") == Array("LFTNS".utf8))
        #expect(TelephonyKey.key("hermalt") == TelephonyKey.key("air malta"))
        #expect(EditDistance.levenshtein(Array("kitten".utf8), Array("sitting".utf8)) == 3)
        #expect(abs(TelephonyKey.similarity(Array("ABC".utf8), Array("ABD".utf8)) - 2.0 / 3.0) < 1e-12)
    }
}
