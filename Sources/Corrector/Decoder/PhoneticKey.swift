/// A rough English sound key for matching what Whisper wrote against phraseology words:
/// letters that sound alike are merged (`ph`/`f`, `c`/`k`/`q`, `z`/`s`, `w`/`v`, `y`/`i`),
/// doubled letters collapse, `h` is dropped and every vowel group after the first letter
/// becomes one `a`. `luftheancer` and `lufthansa` land close; so do `rein` and `rhein`.
public enum PhoneticKey {
    /// The key of an ASCII lowercase word (other bytes pass through unchanged).
    public static func key(_ word: String) -> [UInt8] {
        let bytes = Array(word.utf8)
        var mapped: [UInt8] = []
        mapped.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let next: UInt8? = index + 1 < bytes.count ? bytes[index + 1] : nil
            switch byte {
            case UInt8(ascii: "p") where next == UInt8(ascii: "h"):
                mapped.append(UInt8(ascii: "f"))
                index += 2
                continue
            case UInt8(ascii: "c") where next == UInt8(ascii: "k"):
                mapped.append(UInt8(ascii: "k"))
                index += 2
                continue
            case UInt8(ascii: "c"):
                let hard = next == UInt8(ascii: "a") || next == UInt8(ascii: "o") || next == UInt8(ascii: "u")
                mapped.append(hard ? UInt8(ascii: "k") : UInt8(ascii: "s"))
            case UInt8(ascii: "q"): mapped.append(UInt8(ascii: "k"))
            case UInt8(ascii: "z"): mapped.append(UInt8(ascii: "s"))
            case UInt8(ascii: "w"): mapped.append(UInt8(ascii: "v"))
            case UInt8(ascii: "y"): mapped.append(UInt8(ascii: "i"))
            default: mapped.append(byte)
            }
            index += 1
        }
        var key: [UInt8] = []
        key.reserveCapacity(mapped.count)
        for (position, byte) in mapped.enumerated() {
            if byte == UInt8(ascii: "h") { continue }
            let isVowel = Self.isVowel(byte)
            let out = isVowel && position > 0 ? UInt8(ascii: "a") : byte
            if let last = key.last, last == out, !(position == 0) { continue }
            key.append(out)
        }
        return key
    }

    private static func isVowel(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "a") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "i")
            || byte == UInt8(ascii: "o") || byte == UInt8(ascii: "u")
    }
}
