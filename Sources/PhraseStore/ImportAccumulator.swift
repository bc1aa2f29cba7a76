import Foundation
import ATCText
import GRDB

/// Collects one import's rows in memory, merging identical canonical forms, before they are
/// written in the import's transaction.
struct ImportAccumulator {
    struct Phrase {
        var readable: String
        var example: String
        var occurrences: Int
        var categories: String
        var callsign: ParsedCallsign?
    }

    struct PairKey: Hashable {
        var reference: String
        var hypothesis: String
    }

    struct Callsign {
        var parsed: ParsedCallsign
        var occurrences: Int
    }

    let parser: CallsignParser
    private(set) var phraseOrder: [String] = []
    private(set) var phrases: [String: Phrase] = [:]
    private(set) var pairOrder: [PairKey] = []
    private(set) var pairs: [PairKey: (raw: String, occurrences: Int)] = [:]
    private(set) var callsignOrder: [String] = []
    private(set) var callsigns: [String: Callsign] = [:]
    var rowsRead = 0
    var rowsSkipped = 0

    init(parser: CallsignParser) {
        self.parser = parser
    }

    /// Adds one reference phrase and, when the corpus has one, its ASR hypothesis.
    mutating func add(reference raw: String, hypothesis: String?) {
        rowsRead += 1
        let tokens = ATCNormalizer.canonicalTokens(raw)
        guard !tokens.isEmpty else {
            rowsSkipped += 1
            return
        }
        let canonical = tokens.joined(separator: " ")
        if phrases[canonical] != nil {
            phrases[canonical]!.occurrences += 1
        } else {
            let callsign = parser.parse(tokens)
            let categories = InstructionCategory.categories(of: tokens, callsign: callsign)
            phrases[canonical] = Phrase(
                readable: ATCNormalizer.readable(tokens: tokens),
                example: raw.trimmingCharacters(in: .whitespacesAndNewlines),
                occurrences: 1,
                categories: categories.map(\.rawValue).joined(separator: " "),
                callsign: callsign)
            phraseOrder.append(canonical)
        }
        if let callsign = phrases[canonical]!.callsign {
            if callsigns[callsign.spoken] != nil {
                callsigns[callsign.spoken]!.occurrences += 1
            } else {
                callsigns[callsign.spoken] = Callsign(parsed: callsign, occurrences: 1)
                callsignOrder.append(callsign.spoken)
            }
        }
        if let hypothesis {
            let hypothesisCanonical = ATCNormalizer.canonical(hypothesis)
            let key = PairKey(reference: canonical, hypothesis: hypothesisCanonical)
            if pairs[key] != nil {
                pairs[key]!.occurrences += 1
            } else {
                pairs[key] = (hypothesis.trimmingCharacters(in: .whitespacesAndNewlines), 1)
                pairOrder.append(key)
            }
        }
    }

    /// Writes everything under `corpusID`; `airlineIDs` maps an airline's telephony and name
    /// to its row.
    func persist(_ db: Database, corpusID: Int64, airlineIDs: [String: Int64]) throws {
        let insertPhrase = try db.makeStatement(sql: """
            INSERT INTO phrase (corpus_id, text, example, canonical, occurrences, categories, callsign, callsign_designator)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var phraseIDs: [String: Int64] = [:]
        phraseIDs.reserveCapacity(phraseOrder.count)
        for canonical in phraseOrder {
            let phrase = phrases[canonical]!
            try insertPhrase.execute(arguments: [
                corpusID, phrase.readable, phrase.example, canonical, phrase.occurrences, phrase.categories,
                phrase.callsign?.spoken, phrase.callsign?.designator,
            ])
            phraseIDs[canonical] = db.lastInsertedRowID
        }
        let insertPair = try db.makeStatement(sql: """
            INSERT INTO noisy_pair (corpus_id, phrase_id, hypothesis, hypothesis_canonical, occurrences)
            VALUES (?, ?, ?, ?, ?)
            """)
        for key in pairOrder {
            let pair = pairs[key]!
            try insertPair.execute(arguments: [corpusID, phraseIDs[key.reference]!, pair.raw, key.hypothesis, pair.occurrences])
        }
        let insertCallsign = try db.makeStatement(sql: """
            INSERT INTO callsign (corpus_id, airline_id, kind, telephony, flight_number, spoken, designator, occurrences)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for spoken in callsignOrder {
            let entry = callsigns[spoken]!
            let airlineID = entry.parsed.airline.flatMap { airlineIDs[Self.airlineKey($0)] }
            try insertCallsign.execute(arguments: [
                corpusID, airlineID, entry.parsed.kind.rawValue, entry.parsed.telephony, entry.parsed.flightNumber,
                spoken, entry.parsed.designator, entry.occurrences,
            ])
        }
    }

    static func airlineKey(_ airline: Airline) -> String {
        airline.telephony + "\u{1F}" + airline.name
    }
}
