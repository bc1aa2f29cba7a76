import Foundation
import Testing
@testable import GGUF

/// The dequantisers against an independent implementation: random blocks dequantised by gguf-py
/// (Fixtures/dequant-gguf-py.json, recorded by scripts/fixtures/record-dequant-fixture.py).
@Suite struct DequantizerReferenceTests {
    struct Fixture: Decodable {
        struct Geometry: Decodable { let id: UInt32; let block: Int; let bytes: Int }
        struct Case: Decodable { let type: String; let hex: String; let values: [Float] }
        let geometry: [String: Geometry]
        let cases: [Case]
    }

    static func fixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/dequant-gguf-py.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return out
    }

    @Test func randomBlocksMatchGGUFPy() throws {
        let fixture = try Self.fixture()
        #expect(fixture.cases.count == 12)
        for c in fixture.cases {
            let type = try #require(GGMLType.allCases.first { $0.name == c.type })
            let data = Self.bytes(hex: c.hex)
            let values = try data.withUnsafeBytes { try Dequantizer.dequantize(type: type, data: $0, count: c.values.count) }
            var worst: Float = 0
            for (mine, reference) in zip(values, c.values) {
                worst = max(worst, abs(mine - reference) / max(abs(reference), 1e-3))
            }
            // Same formulas; only float rounding order may differ.
            #expect(worst <= 1e-5, "\(c.type): worst relative difference \(worst)")
        }
    }

    /// Block sizes and byte sizes agree with gguf-py's GGML_QUANT_SIZES for every type it lists,
    /// except Q8_1: gguf-py still has its old 40-byte layout, ggml's block_q8_1 is 36 bytes today
    /// (two halves + 32 quants; it is an intermediate type that files do not contain).
    @Test func blockGeometryMatchesGGUFPy() throws {
        let fixture = try Self.fixture()
        #expect(fixture.geometry.count >= 30)
        for (name, g) in fixture.geometry {
            let type = try #require(GGMLType(rawValue: g.id), "\(name)")
            #expect(type.name == name)
            #expect(type.blockSize == g.block, "\(name)")
            if type != .q8_1 { #expect(type.bytesPerBlock == g.bytes, "\(name)") }
        }
    }
}
