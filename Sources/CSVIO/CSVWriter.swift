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

    private let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var finished = false
    private var recordsWritten = 0

    /// Creates the temporary file beside `url` and writes `header`.
    public init(url: URL, header: [String]) throws(CSVError) {
        self.url = url
        self.columnCount = header.count
        let directory = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        temporaryPath = directory + "/." + name + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if descriptor < 0 {
            throw CSVError(file: url.path, line: nil, kind: .cannotWrite(reason: Self.systemReason()))
        }
        try write(header)
    }

    deinit {
        if !finished {
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
