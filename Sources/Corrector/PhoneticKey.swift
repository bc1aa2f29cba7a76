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

/// Levenshtein distance between byte strings, divided by the longer length (0 = same,
/// 1 = nothing in common).
public func normalizedEditDistance(_ a: [UInt8], _ b: [UInt8]) -> Double {
    if a.isEmpty || b.isEmpty { return a.isEmpty && b.isEmpty ? 0 : 1 }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &current)
    }
    return Double(previous[b.count]) / Double(max(a.count, b.count))
}

/// Like ``normalizedEditDistance(_:_:)`` but gives up (returns nil) as soon as the normalised
/// distance must exceed `limit`: most lexicon entries are far from a heard word, and a length
/// check or the first few rows of the table are enough to tell.
public func normalizedEditDistance(_ a: [UInt8], _ b: [UInt8], limit: Double) -> Double? {
    let longest = max(a.count, b.count)
    if longest == 0 { return 0 }
    let maxEdits = Int((limit * Double(longest)).rounded(.down))
    if abs(a.count - b.count) > maxEdits { return nil }
    if a.isEmpty || b.isEmpty { return limit >= 1 ? 1 : nil }
    return withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * (b.count + 1)) { buffer in
        var previous = UnsafeMutableBufferPointer(rebasing: buffer[0...b.count])
        var current = UnsafeMutableBufferPointer(rebasing: buffer[(b.count + 1)...])
        for j in 0...b.count { previous[j] = j }
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                let value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > maxEdits { return nil }
            swap(&previous, &current)
        }
        let edits = previous[b.count]
        return edits <= maxEdits ? Double(edits) / Double(longest) : nil
    }
}
