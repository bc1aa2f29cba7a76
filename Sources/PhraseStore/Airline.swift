/// An aircraft operator's radiotelephony designator, as listed in `corpora/airlines.csv`.
public struct Airline: Sendable, Equatable, Hashable {
    /// The ICAO three-letter designator (`DLH`), or nil for operators whose code the list
    /// does not give (some military operators).
    public var icao: String?
    /// The telephony designator in canonical form (`speedbird`, `aero lloyd`).
    public var telephony: String
    /// The operator's name (`British Airways`).
    public var name: String
    /// The operator's country.
    public var country: String
    /// Other ways the designator is spoken, canonical (`speed bird`, `hapag`).
    public var spokenVariants: [String]

    /// An airline record.
    public init(icao: String?, telephony: String, name: String, country: String, spokenVariants: [String] = []) {
        self.icao = icao
        self.telephony = telephony
        self.name = name
        self.country = country
        self.spokenVariants = spokenVariants
    }
}

/// A national registration prefix for general-aviation callsigns (`D` + 4 letters, `HB` + 3).
public struct RegistrationPrefix: Sendable, Equatable {
    /// The nationality mark (`D`, `HB`, `OK`, `9H`).
    public var prefix: String
    /// The State it belongs to.
    public var country: String
    /// How many letters follow the mark.
    public var suffixLetters: Int

    /// A prefix record.
    public init(prefix: String, country: String, suffixLetters: Int) {
        self.prefix = prefix
        self.country = country
        self.suffixLetters = suffixLetters
    }
}

/// An ATC unit called on the radio (`rhein radar`, `zurich tower`) and its kind.
public struct Facility: Sendable, Equatable {
    /// The spoken name, canonical.
    public var name: String
    /// `centre`, `approach`, `tower`, `ground` or `delivery`.
    public var kind: String

    /// A facility record.
    public init(name: String, kind: String) {
        self.name = name
        self.kind = kind
    }
}
