import ATCText
import CSVIO
import Foundation
import PhraseStore
import Retrieval

/// Callsigns and waypoints known to be around (as surveillance data or a flight plan list would
/// give them), one per line: `DLH4393` (ICAO designator + flight number, turned into its
/// telephony `lufthansa 4 3 9 3` with the airline list, when the line is that one token),
/// `lufthansa 4393`, `trasadingen`.
/// Empty lines and lines starting with `#` are skipped.
public struct ContextList: Sendable, Equatable {
    /// The entries, in file order.
    public var entries: [CanonicalTranscript]

    /// Entries given directly.
    public init(entries: [CanonicalTranscript]) {
        self.entries = entries
    }

    /// Parses the lines of a context file; `airlines` resolve ICAO designators.
    public init(text: String, airlines: [Airline]) {
        var byDesignator: [String: String] = [:]
        for airline in airlines {
            if let icao = airline.icao, byDesignator[icao] == nil { byDesignator[icao] = airline.telephony }
        }
        entries = text.split(whereSeparator: \.isNewline).compactMap { raw in
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
            let compact = line.uppercased()
            if !compact.contains(where: \.isWhitespace), compact.count > 3, compact.prefix(3).allSatisfy({ $0.isASCII && $0.isLetter }),
                let telephony = byDesignator[String(compact.prefix(3))],
                compact.dropFirst(3).first?.isNumber == true,
                compact.dropFirst(3).allSatisfy({ $0.isASCII && ($0.isNumber || $0.isLetter) })
            {
                let spoken = CallsignCandidate(telephony: telephony, flightNumber: String(compact.dropFirst(3)), score: 0).spoken
                return CanonicalTranscript(normalising: spoken)
            }
            let tokens = CanonicalTranscript(normalising: line)
            return tokens.isEmpty ? nil : tokens
        }
    }

    /// Reads a context file; the airlines come from the index's phrase store.
    public static func load(_ url: URL, airlines: [Airline]) throws -> ContextList {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let reason = FileProblem.reason(url.path) ?? (error as NSError).localizedDescription
            throw ContextError(path: url.path, message: "cannot read it (\(reason)); give a text file with one callsign or waypoint per line")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ContextError(path: url.path, message: "is not UTF-8 text; give one callsign or waypoint per line")
        }
        return ContextList(text: text, airlines: airlines)
    }
}
