#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Writes a CSV file atomically: records go to a temporary file beside the target, which
/// ``finish()`` flushes to disk (fsync) and renames over the target, so readers see either the
/// old file or the complete new one, never a half-written one. A writer dropped without
/// `finish()` removes its temporary file and leaves the target untouched.
///
/// Fields are quoted only when RFC 4180 requires it (a comma, quote, CR or LF inside), which
/// ``CSVReader`` reads back exactly. Lines end with LF.
public final class CSVWriter {
    /// The file that ``finish()`` creates or replaces.
    public let url: URL
    /// The number of fields every record must have.
    public let columnCount: Int

    private var temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var finished = false
    private var recordsWritten = 0
    /// A resumable writer's temporary file is its checkpoint: kept when the writer is dropped.
    private let keepsTemporaryFile: Bool
    /// A streaming writer writes straight to its target (standard output, a device, a pipe):
    /// no temporary file, no rename.
    private var direct = false

    /// Creates the temporary file beside `url` and writes `header`.
    public init(url: URL, header: [String]) throws(CSVError) {
        self.url = url
        self.columnCount = header.count
        let directory = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        temporaryPath = directory + "/." + name + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        keepsTemporaryFile = false
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if descriptor < 0 {
            throw CSVError(file: url.path, line: nil, kind: .cannotWrite(reason: Self.systemReason()))
        }
        try write(header)
    }

    /// The checkpoint file a resumable writer for `url` keeps its records in until
    /// ``finish()`` renames it over `url`.
    public static func checkpointURL(for url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".partial")
    }

    private init(url: URL, header: [String], temporaryPath: String) throws(CSVError) {
        self.url = url
        self.columnCount = header.count
        self.temporaryPath = temporaryPath
        keepsTemporaryFile = true
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if descriptor < 0 {
            throw CSVError(file: temporaryPath, line: nil, kind: .cannotWrite(reason: Self.systemReason()))
        }
        try write(header)
    }

    /// A writer that streams straight to `path` — `-` for standard output, or a device or
    /// pipe that cannot be replaced by a rename — instead of writing atomically. Only for
    /// targets the caller chose explicitly (`--out -`, or `--force` for a non-regular file).
    public static func streaming(to path: String, header: [String]) throws(CSVError) -> CSVWriter {
        try CSVWriter(streamingTo: path, header: header)
    }

    private init(streamingTo path: String, header: [String]) throws(CSVError) {
        self.url = URL(fileURLWithPath: path)
        self.columnCount = header.count
        self.temporaryPath = path
        keepsTemporaryFile = false
        direct = true
        if path == "-" {
            descriptor = STDOUT_FILENO
        } else {
            descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
            if descriptor < 0 {
                throw CSVError(file: path, line: nil, kind: .cannotWrite(reason: Self.systemReason()))
            }
        }
        try write(header)
    }

    /// A writer whose records survive an interrupted run: they go to the checkpoint file
    /// ``checkpointURL(for:)``, which ``checkpoint()`` makes durable and ``finish()`` renames
    /// over `url`. With `resume`, the records of an earlier run's checkpoint (which must have
    /// the same header) are carried over first and passed to `recovered` in order, so the
    /// caller can skip that work; a torn last record from a crash is dropped. Without `resume`
    /// an old checkpoint is replaced.
    public static func resumable(
        url: URL, header: [String], resume: Bool, recovered: ([String]) -> Void = { _ in }
    ) throws(CSVError) -> CSVWriter {
        let checkpoint = checkpointURL(for: url)
        let writer = try CSVWriter(url: url, header: header, temporaryPath: checkpoint.path + ".\(getpid()).tmp")
        if resume, FileManager.default.fileExists(atPath: checkpoint.path) {
            do {
                try writer.carryOver(from: checkpoint, header: header, recovered: recovered)
            } catch {
                unlink(writer.temporaryPath)
                writer.finished = true
                throw error
            }
        }
        try writer.checkpoint()
        if rename(writer.temporaryPath, checkpoint.path) != 0 { throw writer.failure() }
        writer.temporaryPath = checkpoint.path
        return writer
    }

    private func carryOver(from checkpoint: URL, header: [String], recovered: ([String]) -> Void) throws(CSVError) {
        let reader = try CSVReader(url: checkpoint)
        guard reader.header == header else {
            throw CSVError(file: checkpoint.path, line: 1, kind: .cannotWrite(
                reason: "this checkpoint was written with other columns (\(reader.header.joined(separator: ","))); "
                    + "delete it or run without --resume"))
        }
        let endsWithNewline = Self.lastByte(of: checkpoint.path) == UInt8(ascii: "\n")
        var pending: [String]?
        // A record is only trusted once something follows it (another record, even a broken
        // one) or the file ends in a newline: a crash mid-write can leave a last record that
        // parses but is cut short.
        while true {
            let record: CSVRecord?
            do { record = try reader.next() } catch {
                if let last = pending {
                    try write(last)
                    recovered(last)
                }
                break
            }
            guard let record else {
                if let last = pending, endsWithNewline {
                    try write(last)
                    recovered(last)
                }
                break
            }
            if let last = pending {
                try write(last)
                recovered(last)
            }
            pending = record.fields
        }
    }

    private static func lastByte(of path: String) -> UInt8? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var byte: UInt8 = 0
        guard lseek(descriptor, -1, SEEK_END) >= 0, read(descriptor, &byte, 1) == 1 else { return nil }
        return byte
    }

    /// Makes every record written so far durable (flush and fsync) without finishing.
    public func checkpoint() throws(CSVError) {
        try flushBuffer()
        if direct { return }
        if fsync(descriptor) != 0 { throw failure() }
    }

    /// Hands every record written so far to the operating system (no fsync): enough for them
    /// to survive the process being killed, though not a power loss (``checkpoint()`` is).
    public func flush() throws(CSVError) {
        try flushBuffer()
    }

    deinit {
        if direct {
            try? flushBuffer()
            if descriptor > STDERR_FILENO { close(descriptor) }
        } else if !finished && keepsTemporaryFile {
            // Best effort: what reaches the checkpoint now need not be re-done on --resume.
            try? flushBuffer()
            if descriptor >= 0 { close(descriptor) }
        } else if !finished {
            if descriptor >= 0 { close(descriptor) }
            unlink(temporaryPath)
        }
    }

    /// Appends one record; it must have ``columnCount`` fields.
    public func write(_ fields: [String]) throws(CSVError) {
        guard !finished else {
            throw CSVError(file: url.path, line: nil, kind: .cannotWrite(reason: "the writer is already finished"))
        }
        guard fields.count == columnCount else {
            throw CSVError(file: url.path, line: recordsWritten + 1,
                           kind: .wrongFieldCount(expected: columnCount, found: fields.count))
        }
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            Self.appendField(field, to: &buffer)
        }
        buffer.append(UInt8(ascii: "\n"))
        recordsWritten += 1
        if buffer.count >= 1 << 16 { try flushBuffer() }
    }

    /// Flushes, fsyncs and renames the temporary file over the target, then fsyncs the
    /// directory so the rename itself survives a crash.
    public func finish() throws(CSVError) {
        guard !finished else { return }
        try flushBuffer()
        if direct {
            finished = true
            if descriptor > STDERR_FILENO, close(descriptor) != 0 {
                descriptor = -1
                throw failure()
            }
            descriptor = -1
            return
        }
        if fsync(descriptor) != 0 { throw failure() }
        if close(descriptor) != 0 {
            descriptor = -1
            throw failure()
        }
        descriptor = -1
        if rename(temporaryPath, url.path) != 0 { throw failure() }
        finished = true
        let directory = open(url.deletingLastPathComponent().path, O_RDONLY | O_CLOEXEC)
        if directory >= 0 {
            _ = fsync(directory)
            close(directory)
        }
    }

    /// `field` as it appears in a CSV file: verbatim, or quoted with inner quotes doubled.
    public static func encodedField(_ field: String) -> String {
        var bytes: [UInt8] = []
        appendField(field, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendField(_ field: String, to output: inout [UInt8]) {
        let needsQuotes = field.utf8.contains { byte in
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n")
                || byte == UInt8(ascii: "\r")
        }
        guard needsQuotes else {
            output.append(contentsOf: field.utf8)
            return
        }
        output.append(UInt8(ascii: "\""))
        for byte in field.utf8 {
            output.append(byte)
            if byte == UInt8(ascii: "\"") { output.append(byte) }
        }
        output.append(UInt8(ascii: "\""))
    }

    private func flushBuffer() throws(CSVError) {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { raw in
                systemWrite(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure()
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func failure() -> CSVError {
        CSVError(file: url.path, line: nil, kind: .cannotWrite(reason: Self.systemReason()))
    }

    private static func systemReason() -> String {
        String(cString: strerror(errno))
    }
}

/// write(2), named apart from ``CSVWriter/write(_:)``.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(descriptor, bytes, count)
    #else
    return Darwin.write(descriptor, bytes, count)
    #endif
}
