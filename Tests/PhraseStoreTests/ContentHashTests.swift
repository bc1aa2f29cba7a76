import Testing
@testable import PhraseStore

/// SHA-256 against the FIPS 180-4 / NIST example vectors.
@Suite struct ContentHashTests {
    @Test func nistVectors() {
        #expect(ContentHash.hex(of: Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(ContentHash.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ContentHash.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func millionAs() {
        #expect(ContentHash.hex(of: [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// The raw-buffer path compresses whole blocks in place; it must agree with the
    /// byte-by-byte path at every block boundary, also after a partial block.
    @Test func bufferPathAgreesAtEveryBlockBoundary() {
        for length in [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000] {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let reference = ContentHash.hex(of: bytes)
            #expect(bytes.withUnsafeBytes { ContentHash.hex(of: $0) } == reference, "length \(length)")
            var mixed = ContentHash()
            mixed.update(bytes.prefix(length / 3))
            bytes.dropFirst(length / 3).withUnsafeBytes { mixed.update($0) }
            #expect(mixed.hexDigest() == reference, "mixed, length \(length)")
        }
    }

    @Test func incrementalEqualsOneShot() {
        var hash = ContentHash()
        hash.update(Array("ab".utf8))
        hash.update(Array("c".utf8))
        #expect(hash.hexDigest() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

/// SplitMix64 against the reference outputs of Vigna's splitmix64.c for seed 0.
@Suite struct SplitMix64Tests {
    @Test func referenceStream() {
        var random = SplitMix64(seed: 0)
        #expect(random.next() == 0xE220_A839_7B1D_CDAF)
        #expect(random.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(random.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func boundedValuesStayInRangeAndCoverIt() {
        var random = SplitMix64(seed: 42)
        var seen = Set<Int>()
        for _ in 0..<10_000 {
            let value = random.below(7)
            #expect((0..<7).contains(value))
            seen.insert(value)
        }
        #expect(seen.count == 7)
    }
}
