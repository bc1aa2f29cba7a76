/// BPE merge rules keyed by the pair of symbol ids: `(left, right) → (rank, merged id)`.
/// Open addressing over packed 64-bit keys, because this lookup is the BPE inner loop.
struct MergeTable: Sendable {
    private var keys: [UInt64]
    private var payload: [UInt64]
    private let mask: Int
    private static let empty = UInt64.max

    init(capacityFor count: Int) {
        var capacity = 16
        while capacity < count * 2 { capacity <<= 1 }
        keys = [UInt64](repeating: Self.empty, count: capacity)
        payload = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
    }

    @inline(__always)
    private static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    @inline(__always)
    private func slot(of key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
    }

    /// Inserts unless the pair is already present (the first, lowest-ranked rule wins, as with
    /// llama.cpp's `bpe_ranks.emplace`). Returns whether it was inserted.
    @discardableResult
    mutating func insertIfAbsent(left: Int32, right: Int32, rank: Int32, merged: Int32) -> Bool {
        let k = Self.key(left, right)
        var s = slot(of: k)
        while keys[s] != Self.empty {
            if keys[s] == k { return false }
            s = (s + 1) & mask
        }
        keys[s] = k
        payload[s] = UInt64(UInt32(bitPattern: rank)) << 32 | UInt64(UInt32(bitPattern: merged))
        return true
    }

    /// `(rank, merged)` for the pair, or nil.
    @inline(__always)
    func lookup(_ left: Int32, _ right: Int32) -> (rank: Int32, merged: Int32)? {
        let k = Self.key(left, right)
        var s = slot(of: k)
        while true {
            let stored = keys[s]
            if stored == k {
                let p = payload[s]
                return (Int32(bitPattern: UInt32(p >> 32)), Int32(bitPattern: UInt32(p & 0xFFFF_FFFF)))
            }
            if stored == Self.empty { return nil }
            s = (s + 1) & mask
        }
    }
}
