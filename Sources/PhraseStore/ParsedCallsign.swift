/// A callsign found in a canonical transcript.
public struct ParsedCallsign: Sendable, Equatable {
    /// How the callsign was recognised.
    public enum Kind: String, Sendable, Equatable {
        /// A listed airline telephony designator followed by a flight number.
        case airline
        /// An aircraft registration spelled in the ICAO alphabet, full or abbreviated.
        case registration
        /// An unlisted word in callsign position (start of the utterance) followed by a
        /// flight number; the designator is kept as spoken.
        case unlistedTelephony = "unlisted"
        /// A flight number said alone, without its designator.
        case flightNumberOnly = "number"
    }

    /// The span of the callsign in the token array it was parsed from.
    public var tokenRange: Range<Int>
    /// How it was recognised.
    public var kind: Kind
    /// The designator words as spoken (`speed bird`), nil for registrations.
    public var telephony: String?
    /// The airline, for listed designators.
    public var airline: Airline?
    /// The flight number or registration letters, compact (`4393`, `281K`, `DEABC`).
    public var flightNumber: String
    /// The callsign's tokens as spoken, joined (`lufthansa 4 3 9 3`).
    public var spoken: String

    /// A compact designator: `DLH4393` for a listed airline with an ICAO code, the letters for
    /// a registration, else the spoken designator without spaces, upper-cased, and the number.
    public var designator: String {
        switch kind {
        case .registration, .flightNumberOnly: return flightNumber
        case .airline where airline?.icao != nil: return airline!.icao! + flightNumber
        default: return (telephony ?? "").replacingOccurrences(of: " ", with: "").uppercased() + flightNumber
        }
    }

    /// A parsed callsign.
    public init(tokenRange: Range<Int>, kind: Kind, telephony: String?, airline: Airline?, flightNumber: String, spoken: String) {
        self.tokenRange = tokenRange
        self.kind = kind
        self.telephony = telephony
        self.airline = airline
        self.flightNumber = flightNumber
        self.spoken = spoken
    }
}
