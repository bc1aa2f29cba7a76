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
///
/// Memory is linear in the input: a whole file scored as one line (hundreds of thousands of
/// words a side) must not need the n·m cost table. ``editCounts(reference:hypothesis:)``
/// keeps one DP row and carries the counts along the path the backtrace would take;
/// ``align(reference:hypothesis:)`` finds that same path by divide and conquer
/// (``WordAligner/PathSearch``).
///
/// The path is defined by the full cost table `C` read backwards from the end: at each cell
/// prefer a match or substitution, then a deletion, then an insertion, among the steps that
/// keep the cost optimal. That rule fixes how a given number of edits splits into
/// substitutions, deletions and insertions, so every method here reports the same split.
public enum WordAligner {
    /// An alignment of `hypothesis` against `reference` with the fewest substitutions +
    /// deletions + insertions. Among equally short alignments the backtrace prefers a
    /// match or substitution, then a deletion, then an insertion, so the result is
    /// deterministic.
    public static func align(reference: [String], hypothesis: [String]) -> [AlignmentOp] {
        align(reference: reference, hypothesis: hypothesis, tableCells: PathSearch.defaultTableCells)
    }

    /// ``align(reference:hypothesis:)`` with the size below which a block is solved with a
    /// full table (small values exercise the divide and conquer on small inputs in tests).
    static func align(reference: [String], hypothesis: [String], tableCells: Int) -> [AlignmentOp] {
        let (ref, hyp) = interned(reference, hypothesis)
        var search = PathSearch(reference: ref, hypothesis: hyp, tableCells: tableCells)
        return search.steps().map { step in
            switch step.kind {
            case .diagonal:
                let (r, h) = (reference[step.referenceIndex], hypothesis[step.hypothesisIndex])
                return ref[step.referenceIndex] == hyp[step.hypothesisIndex]
                    ? .match(r) : .substitute(reference: r, hypothesis: h)
            case .delete: return .delete(reference[step.referenceIndex])
            case .insert: return .insert(hypothesis[step.hypothesisIndex])
            }
        }
    }

    /// The edit counts of the alignment of `hypothesis` against `reference`, in one DP row.
    ///
    /// Each cell carries the substitutions on the backtrace path from it to the origin: the
    /// backtrace's choice at a cell depends only on that cell's neighbours, so the path's
    /// counts can be built forwards. Deletions and insertions follow from the cost and the
    /// cell's position (`deletions − insertions = i − j`), so one extra number per cell is
    /// enough.
    public static func editCounts(reference: [String], hypothesis: [String]) -> EditCounts {
        let (ref, hyp) = interned(reference, hypothesis)
        let columns = hyp.count + 1
        var previousCost = [Int](0..<columns)
        var previousSubs = [Int](repeating: 0, count: columns)
        var cost = [Int](repeating: 0, count: columns)
        var subs = [Int](repeating: 0, count: columns)
        for i in stride(from: 1, through: ref.count, by: 1) {
            let word = ref[i - 1]
            cost[0] = i
            subs[0] = 0
            for j in stride(from: 1, to: columns, by: 1) {
                let mismatch = word == hyp[j - 1] ? 0 : 1
                let diagonal = previousCost[j - 1] + mismatch
                let up = previousCost[j] + 1
                let left = cost[j - 1] + 1
                let here = min(diagonal, up, left)
                cost[j] = here
                if diagonal == here {
                    subs[j] = previousSubs[j - 1] + mismatch
                } else if up == here {
                    subs[j] = previousSubs[j]
                } else {
                    subs[j] = subs[j - 1]
                }
            }
            swap(&previousCost, &cost)
            swap(&previousSubs, &subs)
        }
        let total = previousCost[columns - 1]
        let substitutions = previousSubs[columns - 1]
        let indels = total - substitutions
        let surplus = ref.count - hyp.count
        return EditCounts(
            substitutions: substitutions, deletions: (indels + surplus) / 2,
            insertions: (indels - surplus) / 2, referenceWords: reference.count)
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
}
