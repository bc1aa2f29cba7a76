import PhraseStore
import Testing
@testable import Retrieval

@Suite struct FileSHA256Tests {
    private func hex(_ bytes: [UInt8]) -> String { bytes.withUnsafeBytes { FileSHA256.hex($0) } }

    @Test func fipsExamples() {
        // FIPS 180-4 / NIST examples.
        #expect(hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func agreesWithContentHashAtEveryBlockBoundary() {
        for length in [1, 55, 56, 63, 64, 65, 119, 120, 128, 1000] {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            var reference = ContentHash()
            reference.update(bytes)
            #expect(hex(bytes) == reference.hexDigest(), "length \(length)")
        }
    }
}
