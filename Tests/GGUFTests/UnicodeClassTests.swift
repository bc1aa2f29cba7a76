import Foundation
import Testing
@testable import GGUF

/// The pre-tokenizers' character classes (letter, number, whitespace) agree with llama.cpp's
/// generated table (src/unicode-data.cpp of the same llama-cpp-python 0.3.36 sdist, extracted by
/// scripts/setup/fetch-vocab-fixtures.sh) for every codepoint U+0000…U+10FFFF.
@Suite struct UnicodeClassTests {
    static let tablePath = VocabFixtureTests.directory.appendingPathComponent("unicode-data.cpp").path
    static var tablePresent: Bool {
        let present = FileManager.default.fileExists(atPath: tablePath)
        if !present { print("NOTE: \(tablePath) absent; run scripts/setup/fetch-vocab-fixtures.sh. Unicode class test skipped.") }
        return present
    }

    /// The `{0xSTART, 0xFLAGS}` pairs of a C++ initializer list named `name`.
    static func hexPairs(_ source: Substring) -> [(UInt32, UInt32)] {
        source.split(separator: "\n").compactMap { line in
            let parts = line.split(whereSeparator: { "{}, ".contains($0) }).filter { $0.hasPrefix("0x") }
            guard parts.count == 2, let a = UInt32(parts[0].dropFirst(2), radix: 16), let b = UInt32(parts[1].dropFirst(2), radix: 16) else { return nil }
            return (a, b)
        }
    }

    static func block(_ source: String, _ name: String) throws -> Substring {
        let start = try #require(source.range(of: name))
        let end = try #require(source.range(of: "};", range: start.upperBound..<source.endIndex))
        return source[start.upperBound..<end.lowerBound]
    }

    @Test(.enabled(if: tablePresent)) func classesEqualLlamaCpp() throws {
        let source = try String(contentsOfFile: Self.tablePath, encoding: .utf8)
        let ranges = Self.hexPairs(try Self.block(source, "unicode_ranges_flags = {"))
        #expect(ranges.count > 2000 && ranges.last?.0 == 0x110000)
        let whitespace = Set(try Self.block(source, "unicode_set_whitespace = {").split(separator: "\n")
            .compactMap { UInt32($0.trimmingCharacters(in: .whitespaces).dropFirst(2).dropLast(), radix: 16) })
        #expect(whitespace.count == 25)
        // llama.cpp's flag bits: NUMBER 0x2, LETTER 0x4.
        var mismatches: [String] = []
        for (current, next) in zip(ranges, ranges.dropFirst()) {
            let theirs: UInt8 = (current.1 & 0x4 != 0 ? UnicodeSupport.letter : 0) | (current.1 & 0x2 != 0 ? UnicodeSupport.number : 0)
            for cp in current.0..<next.0 {
                let expected = theirs | (whitespace.contains(cp) ? UnicodeSupport.whitespace : 0)
                let mine = UnicodeSupport.flags(cp) & (UnicodeSupport.letter | UnicodeSupport.number | UnicodeSupport.whitespace)
                if mine != expected && mismatches.count < 20 { mismatches.append("U+\(String(cp, radix: 16)): \(mine) vs \(expected)") }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }
}
