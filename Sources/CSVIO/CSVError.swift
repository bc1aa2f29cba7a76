/// A CSV file could not be read or written. The description names the file, the line and
/// what to do, so commands can print it as is.
public struct CSVError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// The file could not be opened or read; `reason` is the system's message.
        case cannotRead(reason: String)
        /// The file has no bytes (or only a byte-order mark / blank lines), so not even a header.
        case emptyFile
        /// A quoted field was still open at the end of the file; `line` is where it started.
        case unterminatedQuote
        /// A `"` inside an unquoted field, or text right after a closing quote.
        case strayQuote(field: Int)
        /// A record has a different number of fields than the header.
        case wrongFieldCount(expected: Int, found: Int)
        /// A field is not valid UTF-8.
        case invalidUTF8(field: Int)
        /// A required column is not in the header.
        case missingColumn(name: String, found: [String])
        /// Writing failed; `reason` is the system's message.
        case cannotWrite(reason: String)
        /// An output target was refused before anything was written; `reason` says why and what to do.
        case refused(reason: String)
    }

    /// The file's path as given by the caller.
    public var file: String
    /// The 1-based line the problem is on, when it has one.
    public var line: Int?
    /// What went wrong.
    public var kind: Kind

    /// An error about `file` at `line`.
    public init(file: String, line: Int?, kind: Kind) {
        self.file = file
        self.line = line
        self.kind = kind
    }

    /// "file:line: what happened; what to do".
    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        switch kind {
        case .cannotRead(let reason):
            return "\(place): cannot read the file (\(reason)); check the path and permissions"
        case .emptyFile:
            return "\(place): the file is empty; a CSV file needs a header line naming its columns"
        case .unterminatedQuote:
            return "\(place): a quoted field starts here but its closing \" is never found; "
                + "close the quote (write a literal quote inside a quoted field as \"\")"
        case .strayQuote(let field):
            return "\(place): field \(field) has a \" that is not part of RFC 4180 quoting; "
                + "quote the whole field and double the inner quote (\"say \"\"hi\"\"\")"
        case .wrongFieldCount(let expected, let found):
            return "\(place): this record has \(found) field\(found == 1 ? "" : "s") but the header "
                + "has \(expected); quote fields that contain commas or line breaks"
        case .invalidUTF8(let field):
            return "\(place): field \(field) is not valid UTF-8; re-encode the file as UTF-8 "
                + "(e.g. iconv -f latin1 -t utf-8)"
        case .missingColumn(let name, let found):
            return "\(place): no column named \"\(name)\"; the columns found are "
                + found.map { "\"\($0)\"" }.joined(separator: ", ")
                + "; pass the right column name or fix the header"
        case .refused(let reason):
            return "\(place): refusing to write there: \(reason)"
        case .cannotWrite(let reason):
            return "\(place): cannot write (\(reason)); check the directory exists, is writable "
                + "and has free space"
        }
    }
}
