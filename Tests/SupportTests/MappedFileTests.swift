import Foundation
import Testing
import Support

@Suite struct MappedFileTests {
    private func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mapped-\(UUID().uuidString)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func mapsTheWholeFile() throws {
        let content = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let path = try temporaryFile(content)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try MappedFile(path: path)
        #expect(Array(file.bytes) == content)
        #expect(file.mutableBytes == nil, "a read-only mapping offers no writable view")
    }

    @Test func copyOnWriteChangesNeverReachTheFile() throws {
        let path = try temporaryFile([1, 2, 3, 4])
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let file = try MappedFile(path: path, access: .copyOnWrite)
            let writable = try #require(file.mutableBytes)
            writable[0] = 99
            #expect(file.bytes[0] == 99)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data([1, 2, 3, 4]))
    }

    @Test func emptyFileIsAnEmptyBuffer() throws {
        let path = try temporaryFile([])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try MappedFile(path: path, access: .copyOnWrite)
        #expect(file.bytes.isEmpty)
        #expect(file.mutableBytes == nil)
    }

    @Test func missingFileAndDirectoryAreTypedErrors() {
        let missing = "/nonexistent/\(UUID().uuidString)"
        #expect(throws: MappedFileError.self) { try MappedFile(path: missing) }
        do {
            _ = try MappedFile(path: missing)
        } catch {
            #expect(error.kind == .cannotOpen)
            #expect(error.description.hasPrefix(missing + ": cannot open"))
        }
        do {
            _ = try MappedFile(path: FileManager.default.temporaryDirectory.path)
            Issue.record("a directory was mapped")
        } catch {
            #expect(error.kind == .notRegularFile)
        }
    }
}
