import Foundation
@testable import CSVIO

/// A scratch directory per test, removed when the value is dropped.
final class ScratchDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("csvio-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `bytes` to a file called `name` and returns its URL.
    func file(_ name: String, bytes: [UInt8]) throws -> URL {
        let target = url.appendingPathComponent(name)
        try Data(bytes).write(to: target)
        return target
    }

    /// Writes `text` as UTF-8 to a file called `name` and returns its URL.
    func file(_ name: String, _ text: String) throws -> URL {
        try file(name, bytes: Array(text.utf8))
    }
}

/// Reads every record of `url` (header excluded).
func readAll(_ url: URL, chunkSize: Int = 1 << 16) throws(CSVError) -> (header: [String], records: [CSVRecord]) {
    let reader = try CSVReader(url: url, chunkSize: chunkSize)
    var records: [CSVRecord] = []
    while let record = try reader.next() { records.append(record) }
    return (reader.header, records)
}

/// The error thrown by `body`, or nil if it did not throw a CSVError.
func csvError(_ body: () throws -> Void) -> CSVError? {
    do {
        try body()
        return nil
    } catch {
        return error as? CSVError
    }
}

/// Chunk sizes that make records straddle chunk boundaries in every possible place.
let chunkSizes = [1, 2, 3, 5, 64, 1 << 16]
