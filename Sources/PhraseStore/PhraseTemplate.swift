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
    case callsign, fl, alt, heading, freq, runway, squawk, qnh, taxiway, wind, speed, mach
    case waypoint, facility, airport, info, greeting, farewell, stand, minutes, traffic, cardinal
}

extension Substring {
    func trimmingSpaces() -> String {
        var view = self
        while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" { view.removeLast() }
        return String(view)
    }
}
