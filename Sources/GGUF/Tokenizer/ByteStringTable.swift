/// An immutable hash table from byte strings to integers, looked up without allocating.
///
/// Token texts are byte strings (not necessarily valid UTF-8 once split), and the tokenizers look
/// up slices of their working buffers millions of times, so `Dictionary<String, Int>` would be
/// both wrong-headed and slow.
struct ByteStringTable: Sendable {
    private var storage: [UInt8] = []
    private var starts: [Int] = []
    private var values: [Int32] = []
    private var slots: [Int32]
    private let mask: Int

    /// Builds the table; when a string occurs twice the later value wins (as llama.cpp's
    /// `token_to_id[word] = i` does).
    init(_ entries: [(bytes: [UInt8], value: Int32)]) {
        var capacity = 16
        while capacity < entries.count * 2 { capacity <<= 1 }
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        starts.reserveCapacity(entries.count + 1)
        for (bytes, value) in entries {
            let hash = bytes.withUnsafeBufferPointer { Self.hash($0) }
            var slot = hash & mask
            var replaced = false
            while slots[slot] >= 0 {
                let e = Int(slots[slot])
                if storage[starts[e]..<(starts[e] + length(e))].elementsEqual(bytes) {
                    values[e] = value
                    replaced = true
                    break
                }
                slot = (slot + 1) & mask
            }
            if replaced { continue }
            slots[slot] = Int32(values.count)
            starts.append(storage.count)
            storage.append(contentsOf: bytes)
            values.append(value)
        }
        starts.append(storage.count)
    }

    private func length(_ entry: Int) -> Int {
        entry + 1 < starts.count ? starts[entry + 1] - starts[entry] : storage.count - starts[entry]
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes {
            h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// The value stored for `bytes`, or nil.
    @inline(__always)
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        var slot = Self.hash(bytes) & mask
        return storage.withUnsafeBufferPointer { store in
            while true {
                let e = Int(slots[slot])
                if e < 0 { return nil }
                let start = starts[e], count = starts[e + 1] - start
                if count == bytes.count {
                    var equal = true
                    for k in 0..<count where store[start + k] != bytes[k] {
                        equal = false
                        break
                    }
                    if equal { return values[e] }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Convenience lookup for an array.
    func lookup(_ bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBufferPointer { lookup($0) }
    }
}
