/// GPT-2's reversible byte-to-character mapping: printable Latin-1 bytes stand for themselves,
/// the other 68 bytes are shifted to U+0100 onwards, so every byte string becomes printable text
/// and BPE merges can be stored as text.
enum ByteLevelEncoding {
    /// The character each byte maps to, as UTF-8.
    static let characterOfByte: [[UInt8]] = {
        var table = [[UInt8]](repeating: [], count: 256)
        var shifted: UInt32 = 256
        for byte in 0..<256 {
            let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            let codepoint: UInt32
            if printable {
                codepoint = UInt32(byte)
            } else {
                codepoint = shifted
                shifted += 1
            }
            var utf8: [UInt8] = []
            UnicodeSupport.appendUTF8(codepoint, to: &utf8)
            table[byte] = utf8
        }
        return table
    }()

    /// The inverse: codepoint → byte, for codepoints below 324 (the highest mapped one is U+0143).
    static let byteOfCodepoint: [Int16] = {
        var table = [Int16](repeating: -1, count: 324)
        var shifted = 256
        for byte in 0..<256 {
            let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            if printable {
                table[byte] = Int16(byte)
            } else {
                table[shifted] = Int16(byte)
                shifted += 1
            }
        }
        return table
    }()

    /// The raw bytes a byte-level token text stands for, or nil if it contains a character
    /// outside the mapping (such texts can never be produced from input bytes).
    static func decode(_ text: [UInt8]) -> [UInt8]? {
        var codepoints: [UInt32] = []
        text.withUnsafeBufferPointer { UnicodeSupport.codepoints($0, into: &codepoints) }
        var out: [UInt8] = []
        out.reserveCapacity(codepoints.count)
        for c in codepoints {
            guard c < 324, byteOfCodepoint[Int(c)] >= 0 else { return nil }
            out.append(UInt8(byteOfCodepoint[Int(c)]))
        }
        return out
    }
}
