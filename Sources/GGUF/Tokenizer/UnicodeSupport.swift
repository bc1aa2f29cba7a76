/// Per-codepoint character classes as llama.cpp's pre-tokenizers see them, and UTF-8 coding
/// that mirrors llama.cpp's lenient decoder byte for byte (so invalid input splits the same way).
enum UnicodeSupport {
    /// `\p{L}`: any letter category (Lu, Ll, Lt, Lm, Lo).
    static let letter: UInt8 = 1
    /// `\p{N}`: any number category (Nd, Nl, No).
    static let number: UInt8 = 2
    /// `\s`: the Unicode White_Space property.
    static let whitespace: UInt8 = 4
    /// Set for every real position; llama.cpp's "flags of a position outside the chunk" are 0.
    static let inRange: UInt8 = 8

    /// Classes of every BMP codepoint, built once (64 KiB) because the general-category query
    /// is far too slow for the tokenizer's inner loop.
    static let basicPlane: [UInt8] = (0..<0x1_0000).map { classify(UInt32($0)) }

    /// The Unicode version of llama.cpp's generated tables (unicode-data.cpp): characters assigned
    /// later are unassigned there, so they are classed as such here too, whatever the Swift
    /// runtime's newer Unicode data says.
    static let unicodeVersionOfLlamaCpp = (major: 15, minor: 1)

    static func classify(_ codepoint: UInt32) -> UInt8 {
        guard let scalar = Unicode.Scalar(codepoint) else { return inRange }
        guard let age = scalar.properties.age,
              (age.major, age.minor) <= unicodeVersionOfLlamaCpp else { return inRange }
        var flags = inRange
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            flags |= letter
        case .decimalNumber, .letterNumber, .otherNumber:
            flags |= number
        default:
            break
        }
        if scalar.properties.isWhitespace { flags |= whitespace }
        return flags
    }

    @inline(__always)
    static func flags(_ codepoint: UInt32) -> UInt8 {
        codepoint < 0x1_0000 ? basicPlane[Int(codepoint)] : classify(codepoint)
    }

    /// Decodes UTF-8 exactly like llama.cpp's `unicode_cpts_from_utf8`: the lead byte alone decides
    /// the length, continuation bytes must be 10xxxxxx, and each byte that starts no valid sequence
    /// becomes U+FFFD on its own.
    static func codepoints(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt32]) {
        let n = bytes.count
        var i = 0
        out.reserveCapacity(n)
        while i < n {
            let b0 = UInt32(bytes[i])
            if b0 & 0x80 == 0 {
                out.append(b0)
                i += 1
                continue
            }
            if b0 & 0x40 != 0 {
                if b0 & 0x20 == 0 {
                    if i + 1 < n, bytes[i + 1] & 0xC0 == 0x80 {
                        out.append((b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F))
                        i += 2
                        continue
                    }
                } else if b0 & 0x10 == 0 {
                    if i + 2 < n, bytes[i + 1] & 0xC0 == 0x80, bytes[i + 2] & 0xC0 == 0x80 {
                        out.append((b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F))
                        i += 3
                        continue
                    }
                } else if b0 & 0x08 == 0 {
                    if i + 3 < n, bytes[i + 1] & 0xC0 == 0x80, bytes[i + 2] & 0xC0 == 0x80, bytes[i + 3] & 0xC0 == 0x80 {
                        out.append((b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12
                                   | UInt32(bytes[i + 2] & 0x3F) << 6 | UInt32(bytes[i + 3] & 0x3F))
                        i += 4
                        continue
                    }
                }
            }
            out.append(0xFFFD)
            i += 1
        }
    }

    /// Appends the UTF-8 encoding of `codepoint` (values beyond U+10FFFF, which the lenient decoder
    /// can produce, are written as U+FFFD).
    @inline(__always)
    static func appendUTF8(_ codepoint: UInt32, to out: inout [UInt8]) {
        switch codepoint {
        case 0..<0x80:
            out.append(UInt8(codepoint))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | codepoint >> 6))
            out.append(UInt8(0x80 | codepoint & 0x3F))
        case 0x800..<0x1_0000:
            out.append(UInt8(0xE0 | codepoint >> 12))
            out.append(UInt8(0x80 | (codepoint >> 6) & 0x3F))
            out.append(UInt8(0x80 | codepoint & 0x3F))
        case 0x1_0000...0x10_FFFF:
            out.append(UInt8(0xF0 | codepoint >> 18))
            out.append(UInt8(0x80 | (codepoint >> 12) & 0x3F))
            out.append(UInt8(0x80 | (codepoint >> 6) & 0x3F))
            out.append(UInt8(0x80 | codepoint & 0x3F))
        default:
            out.append(contentsOf: [0xEF, 0xBF, 0xBD])
        }
    }

    /// The length of the UTF-8 sequence a lead byte announces (llama.cpp's `unicode_len_utf8`:
    /// stray continuation bytes count as 1).
    @inline(__always)
    static func sequenceLength(lead: UInt8) -> Int {
        switch lead >> 4 {
        case 0xC, 0xD: 2
        case 0xE: 3
        case 0xF: 4
        default: 1
        }
    }
}
