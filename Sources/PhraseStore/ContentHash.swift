/// SHA-256 (FIPS 180-4), used to fingerprint an import's input so that importing the same
/// corpus twice is recognised and changes nothing.
///
/// Foundation on Linux has no digest API and the package takes no crypto dependency for one
/// fingerprint, so the hash is implemented here; `ContentHashTests` checks it against the
/// FIPS 180-4 example vectors. It is also the model-file fingerprint of an index, which is why
/// it has a raw-buffer path (``update(_:)-(UnsafeRawBufferPointer)``) that compresses whole
/// blocks straight from a memory-mapped file, and why the module is optimised in debug builds.
public struct ContentHash: Sendable {
    private var state: [UInt32] = [
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a,
        0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
    ]
    private var buffer: [UInt8] = []
    private var byteCount: UInt64 = 0

    /// An empty hash.
    public init() {
        buffer.reserveCapacity(64)
    }

    /// Feeds `bytes` into the hash.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes {
            buffer.append(byte)
            byteCount &+= 1
            if buffer.count == 64 { compressBuffer() }
        }
    }

    /// Feeds raw bytes into the hash, compressing whole blocks in place (a 100 MB model file
    /// hashes without being copied byte by byte).
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while !buffer.isEmpty, offset < bytes.count {
            buffer.append(bytes[offset])
            offset += 1
            if buffer.count == 64 { compressBuffer() }
        }
        while bytes.count - offset >= 64 {
            compress(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 64]))
            offset += 64
        }
        buffer.append(contentsOf: bytes[offset...])
        byteCount &+= UInt64(bytes.count)
    }

    /// The hash of raw bytes, in one call.
    public static func hex(of bytes: UnsafeRawBufferPointer) -> String {
        var hash = ContentHash()
        hash.update(bytes)
        return hash.hexDigest()
    }

    private mutating func compressBuffer() {
        let block = buffer
        block.withUnsafeBytes { compress($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Feeds the UTF-8 bytes of `text` followed by a 0 byte, so that consecutive strings
    /// cannot run together ("ab"+"c" differs from "a"+"bc").
    public mutating func update(field text: String) {
        update(text.utf8)
        update(CollectionOfOne(UInt8(0)))
    }

    /// The digest as 64 lowercase hexadecimal characters.
    public func hexDigest() -> String {
        var copy = self
        let bitLength = byteCount &* 8
        copy.update(CollectionOfOne(UInt8(0x80)))
        while copy.buffer.count != 56 {
            copy.update(CollectionOfOne(UInt8(0)))
        }
        var lengthBytes: [UInt8] = []
        for shift in stride(from: 56, through: 0, by: -8) {
            lengthBytes.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }
        copy.update(lengthBytes)
        let hexDigits = Array("0123456789abcdef")
        var text = ""
        for word in copy.state {
            for shift in stride(from: 28, through: 0, by: -4) {
                text.append(hexDigits[Int((word >> UInt32(shift)) & 0xF)])
            }
        }
        return text
    }

    /// The hash of `bytes`, in one call.
    public static func hex<Bytes: Sequence>(of bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var hash = ContentHash()
        hash.update(bytes)
        return hash.hexDigest()
    }

    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    /// One 64-byte block.
    private mutating func compress(_ block: UnsafeRawBufferPointer) {
        var schedule = [UInt32](repeating: 0, count: 64)
        for index in 0..<16 {
            schedule[index] = UInt32(block[4 * index]) << 24 | UInt32(block[4 * index + 1]) << 16
                | UInt32(block[4 * index + 2]) << 8 | UInt32(block[4 * index + 3])
        }
        for index in 16..<64 {
            let s0 = rotr(schedule[index - 15], 7) ^ rotr(schedule[index - 15], 18) ^ (schedule[index - 15] >> 3)
            let s1 = rotr(schedule[index - 2], 17) ^ rotr(schedule[index - 2], 19) ^ (schedule[index - 2] >> 10)
            schedule[index] = schedule[index - 16] &+ s0 &+ schedule[index - 7] &+ s1
        }
        var a = state[0], b = state[1], c = state[2], d = state[3]
        var e = state[4], f = state[5], g = state[6], h = state[7]
        for index in 0..<64 {
            let sigma1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
            let choice = (e & f) ^ (~e & g)
            let temp1 = h &+ sigma1 &+ choice &+ Self.roundConstants[index] &+ schedule[index]
            let sigma0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
            let majority = (a & b) ^ (a & c) ^ (b & c)
            let temp2 = sigma0 &+ majority
            h = g; g = f; f = e; e = d &+ temp1
            d = c; c = b; b = a; a = temp1 &+ temp2
        }
        state[0] &+= a; state[1] &+= b; state[2] &+= c; state[3] &+= d
        state[4] &+= e; state[5] &+= f; state[6] &+= g; state[7] &+= h
    }

    private func rotr(_ value: UInt32, _ count: UInt32) -> UInt32 {
        (value >> count) | (value << (32 - count))
    }
}
