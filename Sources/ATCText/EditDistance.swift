/// Levenshtein edit distance (unit-cost insertions, deletions and substitutions), the one
/// implementation behind every fuzzy comparison in the engine: telephony keys, phonetic keys,
/// character similarity of transcripts, token sequences.
///
/// The byte overloads are the hot paths (keys and UTF-8 spellings compared against whole
/// lexicons); the generic overload serves token sequences. The bounded variants stop as soon
/// as every cell of a row exceeds the bound, because most lexicon entries are far from a heard
/// word and the first few rows (or the length difference alone) already say so.
public enum EditDistance {
    /// The Levenshtein distance between two byte strings.
    public static func levenshtein(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in distance(x, y, maxEdits: Int.max) ?? max(a.count, b.count) }
        }
    }

    /// The Levenshtein distance between `a` and `b` if it is at most `maxEdits`, else nil.
    /// A negative `maxEdits` always gives nil.
    public static func levenshtein(_ a: [UInt8], _ b: [UInt8], maxEdits: Int) -> Int? {
        a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in distance(x, y, maxEdits: maxEdits) } }
    }

    /// The Levenshtein distance between two sequences of equatable elements (tokens, characters).
    public static func levenshtein<A: Collection, B: Collection>(_ a: A, _ b: B) -> Int
    where A.Element == B.Element, A.Element: Equatable {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }

    /// The distance divided by the longer length: 0 for equal strings (and for two empty
    /// ones), 1 when nothing is shared (and when exactly one is empty).
    public static func normalized(_ a: [UInt8], _ b: [UInt8]) -> Double {
        let longest = Swift.max(a.count, b.count)
        guard longest > 0 else { return 0 }
        return Double(levenshtein(a, b)) / Double(longest)
    }

    /// ``normalized(_:_:)`` if it is at most `limit`, else nil (computed with the bounded
    /// search: at most ⌊limit × longer length⌋ edits are explored).
    public static func normalized(_ a: [UInt8], _ b: [UInt8], limit: Double) -> Double? {
        let longest = Swift.max(a.count, b.count)
        guard longest > 0 else { return 0 }
        guard limit >= 0 else { return nil }
        let maxEdits = limit >= 1 ? longest : Int((limit * Double(longest)).rounded(.down))
        return levenshtein(a, b, maxEdits: maxEdits).map { Double($0) / Double(longest) }
    }

    /// 1 − ``normalized(_:_:)``: 1 for equal strings, 0 when nothing is shared or either is
    /// empty (an empty string is no evidence of similarity).
    public static func similarity(_ a: [UInt8], _ b: [UInt8]) -> Double {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        return 1 - normalized(a, b)
    }

    /// Two-row dynamic programme over raw buffers; nil as soon as the distance must exceed
    /// `maxEdits` (the length difference is a lower bound, and so is a row's minimum).
    private static func distance(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, maxEdits: Int) -> Int? {
        guard maxEdits >= 0, abs(a.count - b.count) <= maxEdits else { return nil }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * (b.count + 1)) { buffer -> Int? in
            var previous = UnsafeMutableBufferPointer(rebasing: buffer[0...b.count])
            var current = UnsafeMutableBufferPointer(rebasing: buffer[(b.count + 1)...])
            for j in 0...b.count { previous[j] = j }
            for i in 1...a.count {
                current[0] = i
                var rowMinimum = i
                let byte = a[i - 1]
                for j in 1...b.count {
                    let value = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (byte == b[j - 1] ? 0 : 1))
                    current[j] = value
                    rowMinimum = Swift.min(rowMinimum, value)
                }
                if rowMinimum > maxEdits { return nil }
                swap(&previous, &current)
            }
            let edits = previous[b.count]
            return edits <= maxEdits ? edits : nil
        }
    }
}
