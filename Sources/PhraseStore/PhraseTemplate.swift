/// One phraseology template from `corpora/phraseology.txt`: literal words with typed slots.
public struct PhraseTemplate: Sendable, Equatable {
    /// A template piece: literal text or a slot to fill.
    public enum Piece: Sendable, Equatable {
        /// Words spoken as written.
        case literal(String)
        /// A value the generator chooses.
        case slot(Slot)
    }

    /// The section of the phraseology file the template is in (`ground`, `tower`, …).
    public var section: String
    /// The 1-based line in the template file, for error messages and tracing.
    public var line: Int
    /// The pieces, in order.
    public var pieces: [Piece]

    /// A template made of `pieces`.
    public init(section: String, line: Int, pieces: [Piece]) {
        self.section = section
        self.line = line
        self.pieces = pieces
    }

    /// Parses a template line. Unknown slot names and unclosed braces are errors, so a typo in
    /// the data file is caught when the corpus is loaded rather than emitted as text.
    public static func parse(_ text: String, section: String, file: String, line: Int) throws(PhraseStoreError) -> PhraseTemplate {
        var pieces: [Piece] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            let literal = rest[..<open].trimmingSpaces()
            if !literal.isEmpty { pieces.append(.literal(literal)) }
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw PhraseStoreError(file: file, line: line, message: "unclosed '{' in template; close the slot with '}'")
            }
            let name = String(rest[rest.index(after: open)..<close])
            guard let slot = Slot(rawValue: name) else {
                let known = Slot.allCases.map(\.rawValue).joined(separator: ", ")
                throw PhraseStoreError(file: file, line: line, message: "unknown slot {\(name)}; known slots: \(known)")
            }
            pieces.append(.slot(slot))
            rest = rest[rest.index(after: close)...]
        }
        let tail = rest.trimmingSpaces()
        if !tail.isEmpty { pieces.append(.literal(tail)) }
        if pieces.isEmpty {
            throw PhraseStoreError(file: file, line: line, message: "empty template")
        }
        return PhraseTemplate(section: section, line: line, pieces: pieces)
    }
}

/// The typed slots a template may hold; see `corpora/phraseology.txt` for their value ranges.
public enum Slot: String, CaseIterable, Sendable {
    /// An airline callsign or a registration.
    case callsign
    /// A flight level, 050–450 in tens.
    case fl
    /// An altitude in feet, 2000–15000 in steps of 500.
    case alt
    /// A heading, 005–360 in fives.
    case heading
    /// A VHF channel on the 25 kHz grid, 118.000–136.975.
    case freq
    /// A runway designator, 01–36 with optional left/center/right.
    case runway
    /// A transponder code of four octal digits.
    case squawk
    /// A QNH, 960–1050 hPa.
    case qnh
    /// A taxiway letter, sometimes with a digit.
    case taxiway
    /// A wind: direction in degrees and speed in knots.
    case wind
    /// An indicated airspeed, 160–320 kt in tens.
    case speed
    /// A Mach number, .70–.86.
    case mach
    /// A waypoint or navaid name.
    case waypoint
    /// An ATC unit called on the radio.
    case facility
    /// An aerodrome name.
    case airport
    /// An ATIS letter.
    case info
    /// A greeting.
    case greeting
    /// A farewell.
    case farewell
    /// A stand number.
    case stand
    /// A small number of minutes.
    case minutes
    /// A traffic position: clock and distance.
    case traffic
    /// A compass direction word.
    case cardinal
}

extension Substring {
    func trimmingSpaces() -> String {
        var view = self
        while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" { view.removeLast() }
        return String(view)
    }
}
