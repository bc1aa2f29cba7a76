import Foundation
import Testing
@testable import CSVIO

@Suite struct RepairInvalidUTF8Tests {
    private func file(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("atcfix-utf8-\(UUID().uuidString).csv")
        try Data(bytes).write(to: url)
        return url
    }

    @Test func repairingReaderMarksTheColumnAndGoesOn() throws {
        let url = try file(Array("id,text\n1,ok\n2,".utf8) + [0xFF, 0xFE, 0x41] + Array("\n3,fine\n".utf8))
        let reader = try CSVReader(url: url, repairsInvalidUTF8: true)
        let first = try #require(try reader.next())
        #expect(first.invalidUTF8Columns.isEmpty)
        let broken = try #require(try reader.next())
        #expect(broken.line == 3)
        #expect(broken.invalidUTF8Columns == [1])
        #expect(broken.fields[1] == "\u{FFFD}\u{FFFD}A")
        #expect(try reader.next()?.fields == ["3", "fine"])
    }

    @Test func strictReaderStillFailsWithTheLine() throws {
        let url = try file(Array("id,text\n1,ok\n2,".utf8) + [0xFF] + Array("\n".utf8))
        let reader = try CSVReader(url: url)
        _ = try reader.next()
        #expect(throws: CSVError.self) { _ = try reader.next() }
    }
}
