import Foundation

extension ATCNormalizer {
    /// Letters that Unicode does not decompose into a base letter plus marks, so NFKD alone
    /// would drop them; their usual Latin transliterations keep names like "Østersund" intact.
    static let undecomposableLetters: [Unicode.Scalar: String] = [
        "ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o",
        "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th",
        "ı": "i", "ħ": "h", "Ħ": "h",
    ]

    /// Punctuation that has a plain ASCII meaning the lexer must see: typographic apostrophes
    /// are still apostrophes (deleted inside words) and dashes still separate words.
    static let punctuationEquivalents: [Unicode.Scalar: String] = [
        "\u{2018}": "'", "\u{2019}": "'", "\u{02BC}": "'", "\u{00B4}": "'", "\u{2032}": "'",
        "\u{2010}": "-", "\u{2011}": "-", "\u{2012}": "-", "\u{2013}": "-", "\u{2014}": "-",
    ]

    /// `text` folded to lowercase ASCII: accents are stripped through compatibility
    /// decomposition (NFKD), which also turns no-break spaces and full-width forms into their
    /// ASCII counterparts; scripts with no Latin reading are dropped, because a Whisper
    /// hallucination in Arabic or Cyrillic carries no ATC content either way.
    static func asciiFolded(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                bytes.append(lowercasedASCII(UInt8(scalar.value)))
            } else if let replacement = undecomposableLetters[scalar] ?? punctuationEquivalents[scalar] {
                bytes.append(contentsOf: replacement.utf8)
            } else if scalar.properties.isWhitespace {
                bytes.append(UInt8(ascii: " "))
            } else {
                let decomposed = String(Character(scalar)).decomposedStringWithCompatibilityMapping
                for part in decomposed.unicodeScalars where part.isASCII {
                    bytes.append(lowercasedASCII(UInt8(part.value)))
                }
            }
        }
        return bytes
    }

    private static func lowercasedASCII(_ byte: UInt8) -> UInt8 {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) ? byte + 32 : byte
    }

    /// Splits folded ASCII into word and digit tokens (rules 2 and 3 of the type's doc).
    static func lexicalTokens(of bytes: [UInt8]) -> [String] {
        var tokens: [String] = []
        var word: [UInt8] = []
        func flushWord() {
            if !word.isEmpty {
                tokens.append(String(decoding: word, as: UTF8.self))
                word.removeAll(keepingCapacity: true)
            }
        }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        func isLetter(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }

        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if isLetter(byte) {
                word.append(byte)
            } else if isDigit(byte) {
                flushWord()
                tokens.append(String(UnicodeScalar(byte)))
            } else if byte == UInt8(ascii: "."), index > 0, isDigit(bytes[index - 1]),
                index + 1 < bytes.count, isDigit(bytes[index + 1])
            {
                flushWord()
                tokens.append("decimal")
            } else if byte == UInt8(ascii: "'") {
                // Deleted, not a separator: "that's" is one word in every reference we score.
            } else if byte == UInt8(ascii: "-"), word == Array("x".utf8), index + 3 < bytes.count,
                bytes[index + 1] == UInt8(ascii: "r"), bytes[index + 2] == UInt8(ascii: "a"),
                bytes[index + 3] == UInt8(ascii: "y")
            {
                // "x-ray" is one ICAO letter; every other hyphen separates words.
            } else {
                flushWord()
            }
            index += 1
        }
        flushWord()
        return tokens
    }
}
