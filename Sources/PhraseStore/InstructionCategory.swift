/// The kinds of instruction or call a phrase contains, for filtering exemplars by intent.
public enum InstructionCategory: String, CaseIterable, Sendable {
    /// Frequency change: contact or monitor a unit.
    case contact
    /// Climb instruction or report.
    case climb
    /// Descent instruction or report.
    case descend
    /// A flight level mentioned or to maintain.
    case level
    /// Heading instruction.
    case heading
    /// Speed or Mach instruction.
    case speed
    /// Direct routing.
    case direct
    /// Transponder code.
    case squawk
    /// Taxi, pushback or start-up.
    case taxi
    /// Line up (and wait).
    case lineUp = "line-up"
    /// Take-off clearance.
    case takeoff
    /// Landing clearance.
    case landing
    /// Hold or holding.
    case hold
    /// Altimeter setting.
    case qnh
    /// Wind information.
    case wind
    /// ILS, localizer or approach.
    case approach
    /// Radar identification.
    case identified
    /// Request to report.
    case report
    /// Go-around.
    case goAround = "go-around"
    /// Vacating the runway.
    case vacate
    /// Traffic information.
    case traffic
    /// Route clearance ("cleared to" a destination).
    case clearance
    /// Greeting or farewell.
    case greeting
    /// A pilot readback (the callsign ends the utterance).
    case readback

    /// The categories found in canonical `tokens`; `callsign` is the callsign parsed from
    /// them, used to recognise a readback (a pilot's reply ends with the callsign, a
    /// controller's instruction starts with it).
    public static func categories(of tokens: [String], callsign: ParsedCallsign?) -> [InstructionCategory] {
        let words = Set(tokens)
        /// True when the words of `phrase` occur consecutively in `tokens`.
        func has(_ phrase: String) -> Bool {
            let needle = phrase.split(separator: " ")
            guard let first = needle.first, words.contains(String(first)), needle.count <= tokens.count else { return false }
            for start in 0...(tokens.count - needle.count) where tokens[start] == first {
                if zip(tokens[start..<start + needle.count], needle).allSatisfy({ $0 == $1 }) { return true }
            }
            return false
        }
        var found: [InstructionCategory] = []
        if words.contains("contact") || words.contains("monitor") { found.append(.contact) }
        if words.contains("climb") || words.contains("climbing") { found.append(.climb) }
        if words.contains("descend") || words.contains("descending") { found.append(.descend) }
        if has("flight level") || words.contains("maintain") { found.append(.level) }
        if words.contains("heading") { found.append(.heading) }
        if words.contains("speed") || words.contains("mach") || (words.contains("knots") && !words.contains("wind")) {
            found.append(.speed)
        }
        if words.contains("direct") { found.append(.direct) }
        if words.contains("squawk") { found.append(.squawk) }
        if words.contains("taxi") || words.contains("pushback") || has("push and start") { found.append(.taxi) }
        if has("line up") { found.append(.lineUp) }
        if has("take off") || words.contains("takeoff") { found.append(.takeoff) }
        if has("cleared to land") || words.contains("landing") { found.append(.landing) }
        if words.contains("hold") || words.contains("holding") { found.append(.hold) }
        if words.contains("qnh") { found.append(.qnh) }
        if words.contains("wind") { found.append(.wind) }
        if words.contains("ils") || words.contains("localizer") || words.contains("established")
            || words.contains("approach")
        {
            found.append(.approach)
        }
        if words.contains("identified") || has("radar contact") { found.append(.identified) }
        if words.contains("report") { found.append(.report) }
        if has("go around") { found.append(.goAround) }
        if words.contains("vacate") || words.contains("vacated") { found.append(.vacate) }
        if words.contains("traffic") { found.append(.traffic) }
        if has("cleared to") && !has("cleared to land") { found.append(.clearance) }
        if !words.isDisjoint(with: greetingWords) || has("good bye") || has("good day") { found.append(.greeting) }
        if let callsign, callsign.tokenRange.upperBound == tokens.count, callsign.tokenRange.lowerBound > 0 {
            found.append(.readback)
        }
        return found
    }

    static let greetingWords: Set<String> = [
        "morning", "afternoon", "evening", "hello", "hallo", "hi", "guten", "bonjour", "bonsoir", "buongiorno",
        "gruezi", "servus", "ciao", "bye", "tschuss", "revoir", "hoi",
    ]
}
