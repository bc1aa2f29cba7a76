import ATCText
import CSVIO
import Foundation
import GRDB

extension PhraseStore {
    /// Imports a CSV file: each row's `referenceColumn` becomes a phrase and, when
    /// `hypothesisColumn` is given, the pair (hypothesis → reference) a noisy pair.
    ///
    /// The corpus is stored as `name` (default: the file name). Importing the same content
    /// under the same name again changes nothing; different content replaces the corpus.
    /// The whole import is one transaction: an unreadable row aborts it with an error naming
    /// the file and line, and the database is left as it was.
    public func importCSV(
        at url: URL, referenceColumn: String = "correct_text", hypothesisColumn: String? = "whisper_text",
        name: String? = nil, licence: String = "", corpus: EmbeddedCorpus
    ) throws(PhraseStoreError) -> ImportReport {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw PhraseStoreError(file: url.path, message: "cannot read file; check the path")
        }
        var hash = ContentHash()
        hash.update(field: "csv")
        hash.update(field: referenceColumn)
        hash.update(field: hypothesisColumn ?? "")
        hash.update(data)
        let description = CorpusRecord(
            name: name ?? url.lastPathComponent, source: url.path, licence: licence, contentHash: hash.hexDigest())
        return try importCorpus(description, corpus: corpus) { accumulator throws in
            let reader = try CSVReader(url: url)
            let reference = try reader.column(named: referenceColumn)
            let hypothesis = try hypothesisColumn.map { name throws(CSVError) in try reader.column(named: name) }
            while let record = try reader.next() {
                accumulator.add(reference: record[reference], hypothesis: hypothesis.map { record[$0] })
            }
        }
    }

    /// Imports a plain-text file, one phrase per line (blank lines are skipped).
    public func importText(
        at url: URL, name: String? = nil, licence: String = "", corpus: EmbeddedCorpus
    ) throws(PhraseStoreError) -> ImportReport {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw PhraseStoreError(file: url.path, message: "cannot read file; check the path")
        }
        var hash = ContentHash()
        hash.update(field: "text")
        hash.update(data)
        let description = CorpusRecord(
            name: name ?? url.lastPathComponent, source: url.path, licence: licence, contentHash: hash.hexDigest())
        return try importCorpus(description, corpus: corpus) { accumulator throws in
            var lineNumber = 0
            var rest = data[...]
            while !rest.isEmpty {
                lineNumber += 1
                let end = rest.firstIndex(of: UInt8(ascii: "\n")) ?? rest.endIndex
                var lineBytes = rest[rest.startIndex..<end]
                rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
                if lineBytes.last == UInt8(ascii: "\r") { lineBytes = lineBytes.dropLast() }
                guard let line = String(validating: lineBytes, as: UTF8.self) else {
                    throw PhraseStoreError(file: url.path, line: lineNumber,
                                           message: "line is not valid UTF-8; re-encode the file as UTF-8")
                }
                if line.allSatisfy(\.isWhitespace) { continue }
                accumulator.add(reference: line, hypothesis: nil)
            }
        }
    }

    /// Imports the embedded corpus: `count` phrases generated from its templates with `seed`,
    /// stored as corpus `default`.
    public func importEmbedded(
        _ corpus: EmbeddedCorpus, count: Int = CorpusGenerator.defaultCount, seed: UInt64 = CorpusGenerator.defaultSeed
    ) throws(PhraseStoreError) -> ImportReport {
        var hash = ContentHash()
        hash.update(field: "embedded")
        hash.update(field: corpus.contentHash)
        hash.update(field: String(count))
        hash.update(field: String(seed))
        let description = CorpusRecord(
            name: "default", source: "corpora/ (generated: \(count) phrases, seed \(seed))",
            licence: "written for atcfix from public knowledge of ICAO phraseology and designators",
            contentHash: hash.hexDigest())
        return try importCorpus(description, corpus: corpus) { accumulator in
            for phrase in CorpusGenerator(corpus: corpus).generate(count: count, seed: seed) {
                accumulator.add(reference: phrase, hypothesis: nil)
            }
        }
    }

    struct CorpusRecord {
        var name: String
        var source: String
        var licence: String
        var contentHash: String
    }

    /// The common import path: skip identical content, else (re)build the corpus inside one
    /// transaction.
    func importCorpus(
        _ record: CorpusRecord, corpus: EmbeddedCorpus, fill: (inout ImportAccumulator) throws -> Void
    ) throws(PhraseStoreError) -> ImportReport {
        defer { lexicalIndexCache.clear() }
        do {
            return try database.write { db -> ImportReport in
                let existing = try Row.fetchOne(
                    db, sql: "SELECT id, content_hash FROM corpus WHERE name = ?", arguments: [record.name])
                if let existing, existing["content_hash"] as String == record.contentHash {
                    let counts = try Row.fetchOne(db, sql: """
                        SELECT rows_read, rows_skipped, phrase_count, noisy_pair_count, callsign_count
                        FROM corpus WHERE id = ?
                        """, arguments: [existing["id"] as Int64])!
                    return ImportReport(
                        corpus: record.name, unchanged: true, replaced: false, rowsRead: counts["rows_read"],
                        rowsSkipped: counts["rows_skipped"], phrases: counts["phrase_count"],
                        noisyPairs: counts["noisy_pair_count"], callsigns: counts["callsign_count"])
                }
                if let existing {
                    try db.execute(sql: "DELETE FROM corpus WHERE id = ?", arguments: [existing["id"] as Int64])
                }
                let airlineIDs = try Self.ensureAirlines(corpus.airlines, db)
                var accumulator = ImportAccumulator(parser: CallsignParser(corpus: corpus))
                try fill(&accumulator)
                try db.execute(sql: """
                    INSERT INTO corpus (name, source, licence, content_hash, imported_at, rows_read, rows_skipped,
                                        phrase_count, noisy_pair_count, callsign_count)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [
                        record.name, record.source, record.licence, record.contentHash,
                        ISO8601DateFormatter().string(from: Date()), accumulator.rowsRead, accumulator.rowsSkipped,
                        accumulator.phraseOrder.count, accumulator.pairOrder.count, accumulator.callsignOrder.count,
                    ])
                try accumulator.persist(db, corpusID: db.lastInsertedRowID, airlineIDs: airlineIDs)
                return ImportReport(
                    corpus: record.name, unchanged: false, replaced: existing != nil, rowsRead: accumulator.rowsRead,
                    rowsSkipped: accumulator.rowsSkipped, phrases: accumulator.phraseOrder.count,
                    noisyPairs: accumulator.pairOrder.count, callsigns: accumulator.callsignOrder.count)
            }
        } catch let error as PhraseStoreError {
            throw error
        } catch let error as CSVError {
            var message = error.description
            let place = error.line.map { "\(error.file):\($0): " } ?? "\(error.file): "
            if message.hasPrefix(place) { message.removeFirst(place.count) }
            throw PhraseStoreError(file: error.file, line: error.line,
                                   message: message + " (the import was rolled back; the database is unchanged)")
        } catch {
            throw PhraseStoreError(file: path, message: "import of '\(record.name)' failed and was rolled back: \(error)")
        }
    }

    /// Inserts the listed airlines that are not in the database yet; returns every airline's
    /// row id keyed by telephony and name.
    static func ensureAirlines(_ airlines: [Airline], _ db: Database) throws -> [String: Int64] {
        let insert = try db.makeStatement(sql: """
            INSERT OR IGNORE INTO airline (icao, telephony, variants, name, country) VALUES (?, ?, ?, ?, ?)
            """)
        for airline in airlines {
            try insert.execute(arguments: [
                airline.icao, airline.telephony, airline.spokenVariants.joined(separator: " | "), airline.name,
                airline.country,
            ])
        }
        var ids: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, telephony, name FROM airline") {
            ids[(row["telephony"] as String) + "\u{1F}" + (row["name"] as String)] = row["id"]
        }
        return ids
    }
}
