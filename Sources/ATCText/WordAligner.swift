/// One step of a word alignment between a reference and a hypothesis.
public enum AlignmentOp: Sendable, Equatable, Hashable {
    /// The hypothesis word equals the reference word.
    case match(String)
    /// The hypothesis has `hypothesis` where the reference has `reference`.
    case substitute(reference: String, hypothesis: String)
    /// The reference word is missing from the hypothesis.
    case delete(String)
    /// The hypothesis has a word the reference does not.
    case insert(String)
}

/// Minimum-edit (Levenshtein) word alignment with a backtrace, so callers get not only the
/// error count but which words were confused with which (retrieval builds its confusion table
/// from the substitutions).
public enum WordAligner {
    /// An alignment of `hypothesis` against `reference` with the fewest substitutions +
    /// deletions + insertions. Among equally short alignments the backtrace prefers a
    /// match or substitution, then a deletion, then an insertion, so the result is
    /// deterministic.
    public static func align(reference: [String], hypothesis: [String]) -> [AlignmentOp] {
        let (ref, hyp) = interned(reference, hypothesis)
        let columns = hyp.count + 1
        // Full cost table: utterances are short (tens of words), and the backtrace needs it.
        var cost = [Int32](repeating: 0, count: (ref.count + 1) * columns)
        for j in 0...hyp.count { cost[j] = Int32(j) }
        if !ref.isEmpty {
            for i in 1...ref.count {
                cost[i * columns] = Int32(i)
                if hyp.isEmpty { continue }
                for j in 1...hyp.count {
                    let diagonal = cost[(i - 1) * columns + j - 1] + (ref[i - 1] == hyp[j - 1] ? 0 : 1)
                    let up = cost[(i - 1) * columns + j] + 1
                    let left = cost[i * columns + j - 1] + 1
                    cost[i * columns + j] = min(diagonal, up, left)
                }
            }
        }
        var ops: [AlignmentOp] = []
        ops.reserveCapacity(max(ref.count, hyp.count))
        var i = ref.count
        var j = hyp.count
        while i > 0 || j > 0 {
            let here = cost[i * columns + j]
            if i > 0, j > 0 {
                let same = ref[i - 1] == hyp[j - 1]
                if cost[(i - 1) * columns + j - 1] + (same ? 0 : 1) == here {
                    ops.append(same ? .match(reference[i - 1])
                        : .substitute(reference: reference[i - 1], hypothesis: hypothesis[j - 1]))
                    i -= 1
                    j -= 1
                    continue
                }
            }
            if i > 0, cost[(i - 1) * columns + j] + 1 == here {
                ops.append(.delete(reference[i - 1]))
                i -= 1
            } else {
                ops.append(.insert(hypothesis[j - 1]))
                j -= 1
            }
        }
        return ops.reversed()
    }

    /// Both sequences as small integer ids (equal words, equal ids), so the cost table
    /// compares integers. Utterances have a few dozen distinct words, where a linear scan is
    /// cheaper than hashing every word; long inputs use a dictionary.
    static func interned(_ a: [String], _ b: [String]) -> ([Int32], [Int32]) {
        if a.count + b.count <= 64 {
            var vocabulary: [String] = []
            func id(_ word: String) -> Int32 {
                if let known = vocabulary.firstIndex(of: word) { return Int32(known) }
                vocabulary.append(word)
                return Int32(vocabulary.count - 1)
            }
            return (a.map(id), b.map(id))
        }
        var ids: [String: Int32] = [:]
        func id(_ word: String) -> Int32 {
            if let known = ids[word] { return known }
            let new = Int32(ids.count)
            ids[word] = new
            return new
        }
        return (a.map(id), b.map(id))
    }

    /// The edit counts of the alignment of `hypothesis` against `reference`.
    public static func editCounts(reference: [String], hypothesis: [String]) -> EditCounts {
        EditCounts(alignment: align(reference: reference, hypothesis: hypothesis), referenceWords: reference.count)
    }
}
