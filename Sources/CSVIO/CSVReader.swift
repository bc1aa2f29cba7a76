import Foundation

/// One CSV record: its fields and the line it starts on.
public struct CSVRecord: Sendable, Equatable {
    /// The 1-based line of the file on which this record starts (a record whose quoted field
    /// holds line breaks spans several lines).
    public var line: Int
    /// The unquoted field values, as many as the header has columns.
    public var fields: [String]
    /// The 0-based columns whose bytes were not valid UTF-8 and were decoded with U+FFFD
    /// replacement characters (only when the reader repairs invalid UTF-8).
    public var invalidUTF8Columns: [Int]

    /// A record made directly, e.g. in tests.
    public init(line: Int, fields: [String], invalidUTF8Columns: [Int] = []) {
        self.line = line
        self.fields = fields
        self.invalidUTF8Columns = invalidUTF8Columns
    }

    /// The field in column `index` (as returned by ``CSVReader/column(named:)``).
    public subscript(index: Int) -> String { fields[index] }
}

/// A strict, streaming RFC 4180 reader: the one place every command reads CSV.
///
/// Why not wrap yaslab/CSV.swift: it accepts an unterminated quote silently and reports no
/// line numbers, and recovering both from outside would mean re-scanning its input with a
/// second state machine anyway. A byte-level state machine is short, has no dependency, and
/// knows the line of every byte, so each error can name where to look.
///
/// What it accepts: fields separated by commas; records ended by LF, CRLF or a lone CR;
/// fields quoted with `"` may hold commas, quotes doubled as `""` and line breaks; an
/// optional UTF-8 byte-order mark; a final record with or without a line ending. Blank lines
/// (no bytes at all between two line endings) are skipped, since editors leave them at the
/// end of files. What it rejects, with the line: a quote that is never closed, a `"` inside an
/// unquoted field or text after a closing quote, a record with a different number of fields
/// than the header, invalid UTF-8, and a file with no header.
///
/// Memory stays flat in the file size: the file is read in fixed-size chunks and only the
/// current record is held. The reader is a class because it owns an open file; it is not
/// `Sendable` — read a file from one task.
public final class CSVReader {
    /// The file being read.
    public let url: URL
    /// The column names from the first record.
    public private(set) var header: [String]

    /// The open file; nil for bytes already in memory (``init(bytes:name:)``).
    private let handle: FileHandle?
    private let chunkSize: Int
    /// When true, a field with invalid UTF-8 is decoded with replacement characters and
    /// reported in ``CSVRecord/invalidUTF8Columns`` instead of failing the whole read, so a
    /// batch can mark that one row and go on.
    public let repairsInvalidUTF8: Bool
    private var chunk: [UInt8] = []
    private var position = 0
    private var atEndOfFile = false
    private var line = 1
    private var pendingCarriageReturn = false
    /// Bytes read ahead while looking for a byte-order mark, last one first.
    private var pushedBack: [UInt8] = []

    /// Opens `url` and reads its header. `chunkSize` (bytes per read) exists so tests can
    /// force records to straddle chunk boundaries.
    public init(url: URL, chunkSize: Int = 1 << 16, repairsInvalidUTF8: Bool = false) throws(CSVError) {
        self.url = url
        self.chunkSize = max(1, chunkSize)
        self.repairsInvalidUTF8 = repairsInvalidUTF8
        // Foundation's messages for these two cases are vague ("error 256"); say them plainly.
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            throw CSVError(file: url.path, line: nil, kind: .cannotRead(reason: "no such file"))
        }
        if isDirectory.boolValue {
            throw CSVError(file: url.path, line: nil, kind: .cannotRead(reason: "it is a directory, not a CSV file"))
        }
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw CSVError(file: url.path, line: nil, kind: .cannotRead(reason: Self.reason(of: error)))
        }
        header = []
        try skipByteOrderMark()
        guard let first = try readRecord(expectedFieldCount: nil) else {
            throw CSVError(file: url.path, line: nil, kind: .emptyFile)
        }
        header = first.fields
    }

    /// Reads CSV from bytes already in memory (a file compiled into the binary); `name` is
    /// what errors call it.
    public init(bytes: [UInt8], name: String, repairsInvalidUTF8: Bool = false) throws(CSVError) {
        url = URL(fileURLWithPath: name)
        chunkSize = max(1, bytes.count)
        self.repairsInvalidUTF8 = repairsInvalidUTF8
        handle = nil
        chunk = bytes
        atEndOfFile = true
        header = []
        try skipByteOrderMark()
        guard let first = try readRecord(expectedFieldCount: nil) else {
            throw CSVError(file: name, line: nil, kind: .emptyFile)
        }
        header = first.fields
    }

    deinit { try? handle?.close() }

    /// Convenience for a path string.
    public convenience init(path: String) throws(CSVError) {
        try self.init(url: URL(fileURLWithPath: path))
    }

    /// The index of the column called `name`, or an error naming it and listing the columns
    /// found.
    public func column(named name: String) throws(CSVError) -> Int {
        guard let index = header.firstIndex(of: name) else {
            throw CSVError(file: url.path, line: 1, kind: .missingColumn(name: name, found: header))
        }
        return index
    }

    /// The next record, or nil at the end of the file.
    public func next() throws(CSVError) -> CSVRecord? {
        try readRecord(expectedFieldCount: header.count)
    }

    /// Calls `body` with every remaining record, in order.
    public func forEachRecord(_ body: (CSVRecord) throws -> Void) throws {
        while let record = try next() { try body(record) }
    }

    // MARK: - Bytes

    private static func reason(of error: any Error) -> String {
        (error as NSError).localizedDescription
    }

    /// The next byte, or nil at the end of the file. Refills the chunk as needed.
    private func nextByte() throws(CSVError) -> UInt8? {
        if let byte = pushedBack.popLast() { return byte }
        if position == chunk.count {
            guard !atEndOfFile, let handle else { return nil }
            let data: Data?
            do {
                data = try handle.read(upToCount: chunkSize)
            } catch {
                throw CSVError(file: url.path, line: line, kind: .cannotRead(reason: Self.reason(of: error)))
            }
            guard let data, !data.isEmpty else {
                atEndOfFile = true
                return nil
            }
            chunk = [UInt8](data)
            position = 0
        }
        let byte = chunk[position]
        position += 1
        return byte
    }

    /// Skips a UTF-8 byte-order mark; anything else read while looking is given back.
    private func skipByteOrderMark() throws(CSVError) {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        var seen: [UInt8] = []
        while seen.count < bom.count, let byte = try nextByte() {
            seen.append(byte)
            if byte != bom[seen.count - 1] { break }
        }
        if seen != bom { pushedBack = seen.reversed() }
    }

    // MARK: - Records

    private enum State {
        case fieldStart, unquoted, quoted, afterQuote
    }

    /// Reads one record. `expectedFieldCount` is nil for the header.
    private func readRecord(expectedFieldCount: Int?) throws(CSVError) -> CSVRecord? {
        var fields: [String] = []
        var field: [UInt8] = []
        var state = State.fieldStart
        var recordLine = line
        var quoteLine = line
        var sawAnyByte = false

        var invalidColumns: [Int] = []
        func finishField() throws(CSVError) {
            if let text = String(validating: field, as: UTF8.self) {
                fields.append(text)
            } else if repairsInvalidUTF8, expectedFieldCount != nil {
                invalidColumns.append(fields.count)
                fields.append(String(decoding: field, as: UTF8.self))
            } else {
                throw CSVError(file: url.path, line: recordLine, kind: .invalidUTF8(field: fields.count + 1))
            }
            field.removeAll(keepingCapacity: true)
        }

        while true {
            guard let byte = try nextByte() else {
                switch state {
                case .quoted:
                    throw CSVError(file: url.path, line: quoteLine, kind: .unterminatedQuote)
                case .fieldStart where !sawAnyByte:
                    return nil
                default:
                    try finishField()
                    return try complete(fields, invalidColumns, line: recordLine, expected: expectedFieldCount)
                }
            }
            if pendingCarriageReturn {
                pendingCarriageReturn = false
                if byte == UInt8(ascii: "\n") {
                    // The LF of a CRLF whose CR already counted the line break.
                    if state == .quoted { field.append(byte) }
                    continue
                }
            }
            switch state {
            case .quoted:
                if byte == UInt8(ascii: "\"") {
                    state = .afterQuote
                } else {
                    field.append(byte)
                    if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { countLineBreak(byte) }
                }
                continue
            case .afterQuote:
                if byte == UInt8(ascii: "\"") {
                    field.append(byte)
                    state = .quoted
                    continue
                }
                if byte != UInt8(ascii: ","), byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") {
                    throw CSVError(file: url.path, line: line, kind: .strayQuote(field: fields.count + 1))
                }
            case .unquoted:
                if byte == UInt8(ascii: "\"") {
                    throw CSVError(file: url.path, line: line, kind: .strayQuote(field: fields.count + 1))
                }
            case .fieldStart:
                if byte == UInt8(ascii: "\"") {
                    sawAnyByte = true
                    quoteLine = line
                    state = .quoted
                    continue
                }
            }
            // Shared handling of separators and ordinary bytes outside quotes.
            if byte == UInt8(ascii: ",") {
                sawAnyByte = true
                try finishField()
                state = .fieldStart
            } else if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                countLineBreak(byte)
                if !sawAnyByte {
                    recordLine = line  // a blank line: skip it
                    quoteLine = line
                    continue
                }
                try finishField()
                return try complete(fields, invalidColumns, line: recordLine, expected: expectedFieldCount)
            } else {
                sawAnyByte = true
                field.append(byte)
                state = .unquoted
            }
        }
    }

    /// Advances the line counter for a line break, treating CRLF as one break.
    private func countLineBreak(_ byte: UInt8) {
        line += 1
        if byte == UInt8(ascii: "\r") { pendingCarriageReturn = true }
    }

    private func complete(_ fields: [String], _ invalidColumns: [Int], line recordLine: Int, expected: Int?) throws(CSVError) -> CSVRecord {
        if let expected, fields.count != expected {
            throw CSVError(file: url.path, line: recordLine,
                           kind: .wrongFieldCount(expected: expected, found: fields.count))
        }
        return CSVRecord(line: recordLine, fields: fields, invalidUTF8Columns: invalidColumns)
    }
}
