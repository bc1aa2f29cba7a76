import PhraseStore

/// A callsign the transcript may contain.
public struct CallsignCandidate: Sendable, Equatable {
    /// The telephony designator as the store lists it (`lufthansa`, `air malta`).
    public var telephony: String
    /// The flight number, compact (`4393`, `281K`); empty when none was heard.
    public var flightNumber: String
    /// Higher is more likely; not a probability.
    public var score: Double

    /// A candidate.
    public init(telephony: String, flightNumber: String, score: Double) {
        self.telephony = telephony
        self.flightNumber = flightNumber
        self.score = score
    }

    /// The canonical tokens as said: the telephony's words, then each digit, then each letter
    /// as its ICAO word (`swiss 2 8 1 kilo`).
    public var spokenTokens: [String] {
        let number = flightNumber.map { character -> String in
            guard let ascii = character.asciiValue, character.isUppercase else { return String(character) }
            return SpokenNumbers.letterWords[Int(ascii - UInt8(ascii: "A"))]
        }
        return telephony.split(separator: " ").map(String.init) + number
    }

    /// ``spokenTokens`` joined by single spaces.
    public var spoken: String { spokenTokens.joined(separator: " ") }
}
