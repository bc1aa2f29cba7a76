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
