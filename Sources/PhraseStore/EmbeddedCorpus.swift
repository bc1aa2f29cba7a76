import ATCText
import CSVIO
import Foundation

/// The default corpus that ships with atcfix in `corpora/`: phraseology templates, airline
/// telephony designators, registration prefixes, ATC units, aerodromes and waypoints.
///
/// The files stay readable text in the repository (reviewable, editable) and are read at run
/// time, so the directory is located rather than compiled in: `$ATCFIX_CORPUS_DIR` if set,
/// else `corpora/` at the package root this file was built from.
public struct EmbeddedCorpus: Sendable {
    /// Airline telephony designators.
    public var airlines: [Airline]
    /// Phraseology templates.
    public var templates: [PhraseTemplate]
    /// ATC units called on the radio.
    public var facilities: [Facility]
    /// Aerodrome names as spoken.
    public var airports: [String]
    /// Waypoint and navaid names as spoken.
    public var waypoints: [String]
    /// General-aviation registration prefixes.
    public var registrationPrefixes: [RegistrationPrefix]
    /// SHA-256 over every file's bytes, so a changed corpus is re-imported and an unchanged
    /// one is not.
    public var contentHash: String

    /// The files the corpus is read from, relative to its directory.
    public static let fileNames = [
        "airlines.csv", "phraseology.txt", "facilities.csv", "airports.txt", "waypoints.txt", "registrations.csv",
    ]

    /// Where the corpus files are: `$ATCFIX_CORPUS_DIR`, else `<package root>/corpora`.
    public static func defaultDirectory() -> URL {
        if let override = ProcessInfo.processInfo.environment["ATCFIX_CORPUS_DIR"], !override.isEmpty {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        // Sources/PhraseStore/EmbeddedCorpus.swift → package root.
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("corpora", isDirectory: true)
    }

    /// Loads the corpus from the default directory.
    public static func load() throws(PhraseStoreError) -> EmbeddedCorpus {
        try load(from: defaultDirectory())
    }

    /// Loads and validates every corpus file in `directory`.
    public static func load(from directory: URL) throws(PhraseStoreError) -> EmbeddedCorpus {
        var hash = ContentHash()
        for name in fileNames {
            let url = directory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw PhraseStoreError(
                    file: url.path,
                    message: "embedded corpus file missing; set ATCFIX_CORPUS_DIR to the repository's corpora/ directory")
            }
            hash.update(field: name)
            hash.update(data)
        }
        return EmbeddedCorpus(
            airlines: try loadAirlines(directory.appendingPathComponent("airlines.csv")),
            templates: try loadTemplates(directory.appendingPathComponent("phraseology.txt")),
            facilities: try loadFacilities(directory.appendingPathComponent("facilities.csv")),
            airports: try loadList(directory.appendingPathComponent("airports.txt")),
            waypoints: try loadList(directory.appendingPathComponent("waypoints.txt")),
            registrationPrefixes: try loadRegistrationPrefixes(directory.appendingPathComponent("registrations.csv")),
            contentHash: hash.hexDigest())
    }

    static func loadAirlines(_ url: URL) throws(PhraseStoreError) -> [Airline] {
        var airlines: [Airline] = []
        try readCSV(url, columns: ["icao", "telephony", "name", "country", "variants"]) { (line, fields) throws(PhraseStoreError) in
            let code = fields[0].trimmingCharacters(in: .whitespaces)
            if !code.isEmpty, !(code.count == 3 && code.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) })) {
                throw PhraseStoreError(file: url.path, line: line, message: "ICAO designator '\(code)' is not three capital letters")
            }
            let telephony = ATCNormalizer.canonical(fields[1])
            if telephony.isEmpty {
                throw PhraseStoreError(file: url.path, line: line, message: "empty telephony designator")
            }
            let variants = fields[4].split(separator: "|").map { ATCNormalizer.canonical(String($0)) }.filter { !$0.isEmpty }
            airlines.append(Airline(icao: code.isEmpty ? nil : code, telephony: telephony, name: fields[2],
                                    country: fields[3], spokenVariants: variants))
        }
        return airlines
    }

    static func loadFacilities(_ url: URL) throws(PhraseStoreError) -> [Facility] {
        var facilities: [Facility] = []
        let kinds: Set<String> = ["centre", "approach", "tower", "ground", "delivery"]
        try readCSV(url, columns: ["name", "kind"]) { (line, fields) throws(PhraseStoreError) in
            guard kinds.contains(fields[1]) else {
                throw PhraseStoreError(file: url.path, line: line,
                                       message: "unknown facility kind '\(fields[1])'; use one of \(kinds.sorted().joined(separator: ", "))")
            }
            facilities.append(Facility(name: ATCNormalizer.canonical(fields[0]), kind: fields[1]))
        }
        return facilities
    }

    static func loadRegistrationPrefixes(_ url: URL) throws(PhraseStoreError) -> [RegistrationPrefix] {
        var prefixes: [RegistrationPrefix] = []
        try readCSV(url, columns: ["prefix", "country", "suffix_letters"]) { (line, fields) throws(PhraseStoreError) in
            guard let count = Int(fields[2]), (1...5).contains(count) else {
                throw PhraseStoreError(file: url.path, line: line, message: "suffix_letters '\(fields[2])' is not a number 1-5")
            }
            prefixes.append(RegistrationPrefix(prefix: fields[0], country: fields[1], suffixLetters: count))
        }
        return prefixes
    }

    /// A one-entry-per-line list; `#` lines are comments.
    static func loadList(_ url: URL) throws(PhraseStoreError) -> [String] {
        try lines(of: url).compactMap { entry in
            entry.text.hasPrefix("#") || entry.text.isEmpty ? nil : ATCNormalizer.canonical(entry.text)
        }
    }

    static func loadTemplates(_ url: URL) throws(PhraseStoreError) -> [PhraseTemplate] {
        var templates: [PhraseTemplate] = []
        var section = ""
        for entry in try lines(of: url) {
            if entry.text.isEmpty || entry.text.hasPrefix("#") { continue }
            if entry.text.hasPrefix("[") {
                guard entry.text.hasSuffix("]") else {
                    throw PhraseStoreError(file: url.path, line: entry.line, message: "section header must end with ']'")
                }
                section = String(entry.text.dropFirst().dropLast())
                continue
            }
            templates.append(try PhraseTemplate.parse(entry.text, section: section, file: url.path, line: entry.line))
        }
        if templates.isEmpty {
            throw PhraseStoreError(file: url.path, message: "no templates found")
        }
        return templates
    }

    static func lines(of url: URL) throws(PhraseStoreError) -> [(line: Int, text: String)] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw PhraseStoreError(file: url.path, message: "cannot read file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PhraseStoreError(file: url.path, message: "file is not valid UTF-8")
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
            (index + 1, line.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    static func readCSV(_ url: URL, columns: [String],
                        _ body: (Int, [String]) throws(PhraseStoreError) -> Void) throws(PhraseStoreError) {
        do {
            let reader = try CSVReader(url: url)
            let indices = try columns.map { name throws(CSVError) in try reader.column(named: name) }
            while let record = try reader.next() {
                try body(record.line, indices.map { record[$0] })
            }
        } catch let error as PhraseStoreError {
            throw error
        } catch {
            throw PhraseStoreError(file: url.path, message: "\(error)")
        }
    }
}
