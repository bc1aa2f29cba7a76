import ATCText
import CSVIO
import Foundation

/// The default corpus that ships with atcfix in `corpora/`: phraseology templates, airline
/// telephony designators, registration prefixes, ATC units, aerodromes and waypoints.
///
/// The files stay readable text in the repository (reviewable, editable) and are compiled
/// into the binary by the `EmbeddedCorpusPlugin` build tool, so a binary copied anywhere
/// carries them. `$ATCFIX_CORPUS_DIR` still points at a directory of the same files, to try
/// an edited corpus without rebuilding.
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

    /// The directory named by `$ATCFIX_CORPUS_DIR`, or nil (the compiled-in corpus) when unset.
    public static func overrideDirectory() -> URL? {
        guard let override = ProcessInfo.processInfo.environment["ATCFIX_CORPUS_DIR"], !override.isEmpty else { return nil }
        return URL(fileURLWithPath: override, isDirectory: true)
    }

    /// The corpus files compiled into this binary, by name (their bytes as in `corpora/` at
    /// build time).
    public static func compiledInFiles() -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for file in embeddedCorpusFiles {
            // The generator wrote these literals from the files' bytes; they always decode.
            files[file.name] = Data(base64Encoded: file.base64).map { Array($0) } ?? []
        }
        return files
    }

    /// Loads the corpus from `$ATCFIX_CORPUS_DIR` when set, else the compiled-in files.
    public static func load() throws(PhraseStoreError) -> EmbeddedCorpus {
        if let directory = overrideDirectory() { return try load(from: directory) }
        let files = compiledInFiles()
        return try load { name throws(PhraseStoreError) in
            guard let bytes = files[name] else {
                throw PhraseStoreError(file: "corpora/\(name)", message: "not compiled into this binary; rebuild atcfix")
            }
            return (bytes, "corpora/\(name) (compiled in)")
        }
    }

    /// Loads and validates every corpus file in `directory`.
    public static func load(from directory: URL) throws(PhraseStoreError) -> EmbeddedCorpus {
        try load { name throws(PhraseStoreError) in
            let url = directory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw PhraseStoreError(
                    file: url.path,
                    message: "corpus file missing; point ATCFIX_CORPUS_DIR at a copy of the repository's corpora/ directory, or unset it to use the compiled-in corpus")
            }
            return (Array(data), url.path)
        }
    }

    /// Loads and validates every corpus file, each read by `file` (its bytes, and the name
    /// errors give it).
    static func load(_ file: (String) throws(PhraseStoreError) -> (bytes: [UInt8], origin: String))
        throws(PhraseStoreError) -> EmbeddedCorpus
    {
        var hash = ContentHash()
        var files: [String: (bytes: [UInt8], origin: String)] = [:]
        for name in fileNames {
            let loaded = try file(name)
            hash.update(field: name)
            hash.update(loaded.bytes)
            files[name] = loaded
        }
        func source(_ name: String) -> (bytes: [UInt8], origin: String) { files[name]! }
        return EmbeddedCorpus(
            airlines: try loadAirlines(source("airlines.csv")),
            templates: try loadTemplates(source("phraseology.txt")),
            facilities: try loadFacilities(source("facilities.csv")),
            airports: try loadList(source("airports.txt")),
            waypoints: try loadList(source("waypoints.txt")),
            registrationPrefixes: try loadRegistrationPrefixes(source("registrations.csv")),
            contentHash: hash.hexDigest())
    }

    typealias Source = (bytes: [UInt8], origin: String)

    static func loadAirlines(_ source: Source) throws(PhraseStoreError) -> [Airline] {
        var airlines: [Airline] = []
        try readCSV(source, columns: ["icao", "telephony", "name", "country", "variants"]) { (line, fields) throws(PhraseStoreError) in
            let code = fields[0].trimmingCharacters(in: .whitespaces)
            if !code.isEmpty, !(code.count == 3 && code.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) })) {
                throw PhraseStoreError(file: source.origin, line: line, message: "ICAO designator '\(code)' is not three capital letters")
            }
            let telephony = ATCNormalizer.canonical(fields[1])
            if telephony.isEmpty {
                throw PhraseStoreError(file: source.origin, line: line, message: "empty telephony designator")
            }
            let variants = fields[4].split(separator: "|").map { ATCNormalizer.canonical(String($0)) }.filter { !$0.isEmpty }
            airlines.append(Airline(icao: code.isEmpty ? nil : code, telephony: telephony, name: fields[2],
                                    country: fields[3], spokenVariants: variants))
        }
        return airlines
    }

    static func loadFacilities(_ source: Source) throws(PhraseStoreError) -> [Facility] {
        var facilities: [Facility] = []
        let kinds: Set<String> = ["centre", "approach", "tower", "ground", "delivery"]
        try readCSV(source, columns: ["name", "kind"]) { (line, fields) throws(PhraseStoreError) in
            guard kinds.contains(fields[1]) else {
                throw PhraseStoreError(file: source.origin, line: line,
                                       message: "unknown facility kind '\(fields[1])'; use one of \(kinds.sorted().joined(separator: ", "))")
            }
            facilities.append(Facility(name: ATCNormalizer.canonical(fields[0]), kind: fields[1]))
        }
        return facilities
    }

    static func loadRegistrationPrefixes(_ source: Source) throws(PhraseStoreError) -> [RegistrationPrefix] {
        var prefixes: [RegistrationPrefix] = []
        try readCSV(source, columns: ["prefix", "country", "suffix_letters"]) { (line, fields) throws(PhraseStoreError) in
            guard let count = Int(fields[2]), (1...5).contains(count) else {
                throw PhraseStoreError(file: source.origin, line: line, message: "suffix_letters '\(fields[2])' is not a number 1-5")
            }
            prefixes.append(RegistrationPrefix(prefix: fields[0], country: fields[1], suffixLetters: count))
        }
        return prefixes
    }

    /// A one-entry-per-line list; `#` lines are comments.
    static func loadList(_ source: Source) throws(PhraseStoreError) -> [String] {
        try lines(of: source).compactMap { entry in
            entry.text.hasPrefix("#") || entry.text.isEmpty ? nil : ATCNormalizer.canonical(entry.text)
        }
    }

    static func loadTemplates(_ source: Source) throws(PhraseStoreError) -> [PhraseTemplate] {
        var templates: [PhraseTemplate] = []
        var section = ""
        for entry in try lines(of: source) {
            if entry.text.isEmpty || entry.text.hasPrefix("#") { continue }
            if entry.text.hasPrefix("[") {
                guard entry.text.hasSuffix("]") else {
                    throw PhraseStoreError(file: source.origin, line: entry.line, message: "section header must end with ']'")
                }
                section = String(entry.text.dropFirst().dropLast())
                continue
            }
            templates.append(try PhraseTemplate.parse(entry.text, section: section, file: source.origin, line: entry.line))
        }
        if templates.isEmpty {
            throw PhraseStoreError(file: source.origin, message: "no templates found")
        }
        return templates
    }

    static func lines(of source: Source) throws(PhraseStoreError) -> [(line: Int, text: String)] {
        guard let text = String(validating: source.bytes, as: UTF8.self) else {
            throw PhraseStoreError(file: source.origin, message: "file is not valid UTF-8")
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
            (index + 1, line.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    static func readCSV(_ source: Source, columns: [String],
                        _ body: (Int, [String]) throws(PhraseStoreError) -> Void) throws(PhraseStoreError) {
        do {
            let reader = try CSVReader(bytes: source.bytes, name: source.origin)
            let indices = try columns.map { name throws(CSVError) in try reader.column(named: name) }
            while let record = try reader.next() {
                try body(record.line, indices.map { record[$0] })
            }
        } catch let error as PhraseStoreError {
            throw error
        } catch {
            throw PhraseStoreError(file: source.origin, message: "\(error)")
        }
    }
}
