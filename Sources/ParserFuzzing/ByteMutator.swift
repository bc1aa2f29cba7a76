import Support

/// Deterministic corruptions of a valid file, for the parsers' mutation tests: the same seed
/// gives the same mutants on every machine, so a failure names a reproducible input.
///
/// The mutations are the ones that find parser bugs in practice: bit flips, bytes and whole
/// little-endian integers set to boundary values (a count or size of 0, 2³¹, 2⁶³, 2⁶⁴ − 1 is
/// where unchecked arithmetic traps and unchecked allocations explode), truncation, and
/// ranges deleted, duplicated or filled with noise. Half of them land in the first
/// `headerBytes` bytes, where formats keep their counts and offsets.
public struct ByteMutator {
    /// The boundary values written over integer fields.
    public static let boundaryValues: [UInt64] = [
        0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF,
        0x1_0000_0000, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, 0xFFFF_FFFF_FFFF_FFFF,
    ]

    private var random: SplitMix64
    /// How many leading bytes count as the header (where half of the edits go).
    public var headerBytes: Int

    /// A mutator whose every output follows from `seed`.
    public init(seed: UInt64, headerBytes: Int = 256) {
        random = SplitMix64(seed: seed)
        self.headerBytes = max(1, headerBytes)
    }

    /// `seed` with one to four random edits applied (never the seed unchanged unless every
    /// edit happened to rewrite a byte with its own value).
    public mutating func mutate(_ seed: [UInt8]) -> [UInt8] {
        var bytes = seed
        for _ in 0..<(1 + random.below(4)) {
            edit(&bytes)
        }
        return bytes
    }

    private mutating func position(in bytes: [UInt8]) -> Int {
        guard !bytes.isEmpty else { return 0 }
        let limit = random.chance(percent: 50) ? min(headerBytes, bytes.count) : bytes.count
        return random.below(limit)
    }

    private mutating func edit(_ bytes: inout [UInt8]) {
        if bytes.isEmpty {
            bytes = (0..<(1 + random.below(16))).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            return
        }
        switch random.below(8) {
        case 0:  // one bit
            let at = position(in: bytes)
            bytes[at] ^= 1 << UInt8(random.below(8))
        case 1:  // one byte, any value
            bytes[position(in: bytes)] = UInt8(truncatingIfNeeded: random.next())
        case 2, 3:  // a little-endian integer field set to a boundary value
            let width = [2, 4, 8][random.below(3)]
            var value = random.pick(Self.boundaryValues)
            if random.chance(percent: 25) { value = value &- 1 }
            let at = position(in: bytes)
            for i in 0..<width where at + i < bytes.count {
                bytes[at + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))
            }
        case 4:  // truncation
            bytes.removeSubrange(random.below(bytes.count)...)
        case 5:  // a range deleted
            let start = position(in: bytes)
            let length = min(bytes.count - start, 1 + random.below(32))
            bytes.removeSubrange(start..<(start + length))
        case 6:  // a range duplicated in place
            let start = position(in: bytes)
            let length = min(bytes.count - start, 1 + random.below(64))
            bytes.insert(contentsOf: bytes[start..<(start + length)], at: start)
        default:  // a range overwritten with noise
            let start = position(in: bytes)
            let length = min(bytes.count - start, 1 + random.below(16))
            for i in start..<(start + length) { bytes[i] = UInt8(truncatingIfNeeded: random.next()) }
        }
    }
}
