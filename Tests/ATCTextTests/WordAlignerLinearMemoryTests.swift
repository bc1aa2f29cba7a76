import Foundation
import Support
import Testing
@testable import ATCText

/// The full-table Levenshtein alignment with the documented backtrace rule (match or
/// substitution, then deletion, then insertion, read backwards from the end), written out
/// plainly: the reference the linear-memory aligner must agree with step for step.
private func fullTableAlignment(_ reference: [String], _ hypothesis: [String]) -> [AlignmentOp] {
    let n = reference.count
    let m = hypothesis.count
    var cost = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
    for i in 0...n { cost[i][0] = i }
    for j in 0...m { cost[0][j] = j }
    if n > 0 && m > 0 {
        for i in 1...n {
            for j in 1...m {
                cost[i][j] = min(
                    cost[i - 1][j - 1] + (reference[i - 1] == hypothesis[j - 1] ? 0 : 1),
                    cost[i - 1][j] + 1, cost[i][j - 1] + 1)
            }
        }
    }
    var ops: [AlignmentOp] = []
    var i = n
    var j = m
    while i > 0 || j > 0 {
        let same = i > 0 && j > 0 && reference[i - 1] == hypothesis[j - 1]
        if i > 0, j > 0, cost[i - 1][j - 1] + (same ? 0 : 1) == cost[i][j] {
            ops.append(same ? .match(reference[i - 1]) : .substitute(reference: reference[i - 1], hypothesis: hypothesis[j - 1]))
            i -= 1
            j -= 1
        } else if i > 0, cost[i - 1][j] + 1 == cost[i][j] {
            ops.append(.delete(reference[i - 1]))
            i -= 1
        } else {
            ops.append(.insert(hypothesis[j - 1]))
            j -= 1
        }
    }
    return ops.reversed()
}

private func counts(of ops: [AlignmentOp], referenceWords: Int) -> EditCounts {
    var counts = EditCounts(referenceWords: referenceWords)
    for op in ops {
        switch op {
        case .match: break
        case .substitute: counts.substitutions += 1
        case .delete: counts.deletions += 1
        case .insert: counts.insertions += 1
        }
    }
    return counts
}

/// The one-row counts and the divide-and-conquer alignment against the full table, and both
/// on inputs whose full table would not fit in memory.
@Suite struct WordAlignerLinearMemoryTests {
    /// Random pairs over small alphabets (many ties, where the backtrace rule decides the
    /// substitution / deletion / insertion split), with block sizes down to a few cells so
    /// that the divide and conquer recurses many levels even on short inputs.
    @Test(arguments: [4, 9, 64, 1 << 16])
    func agreesWithTheFullTableStepForStep(tableCells: Int) {
        var generator = SplitMix64(seed: 19 &+ UInt64(tableCells))
        for iteration in 0..<600 {
            let alphabetSize = 2 + Int(generator.next() % 4)
            let maxLength: UInt64 = iteration < 500 ? 14 : 70
            let ref = (0..<Int(generator.next() % maxLength)).map { _ in "w\(generator.next() % UInt64(alphabetSize))" }
            var hyp = (0..<Int(generator.next() % maxLength)).map { _ in "w\(generator.next() % UInt64(alphabetSize))" }
            if iteration % 3 == 0 {
                // A noisy copy: close pairs, as real transcripts are.
                hyp = ref.filter { _ in generator.next() % 5 != 0 }.map { generator.next() % 6 == 0 ? "x" : $0 }
            }
            let expected = fullTableAlignment(ref, hyp)
            let ops = WordAligner.align(reference: ref, hypothesis: hyp, tableCells: tableCells)
            #expect(ops == expected, "ref \(ref) hyp \(hyp)")
            let expectedCounts = counts(of: expected, referenceWords: ref.count)
            #expect(WordAligner.editCounts(reference: ref, hypothesis: hyp) == expectedCounts, "ref \(ref) hyp \(hyp)")
        }
    }

    /// The shape that used to trap: one line of 300k reference words against a hypothesis
    /// that kept every other word (here 40k against 20k, whose full table would be 3.2 GB).
    /// The answer is known without aligning: each dropped word is one deletion.
    @Test func longLineIsCountedInBoundedMemory() {
        let n = 40_000
        let reference = (0..<n).map { "w\($0 % 997)" }
        let hypothesis = stride(from: 0, to: n, by: 2).map { reference[$0] }
        let before = peakResidentBytes()
        let counts = WordAligner.editCounts(reference: reference, hypothesis: hypothesis)
        #expect(counts == EditCounts(substitutions: 0, deletions: n / 2, insertions: 0, referenceWords: n))
        let ops = WordAligner.align(reference: reference, hypothesis: hypothesis)
        #expect(ops.count == n)
        #expect(ops.filter { if case .delete = $0 { true } else { false } }.count == n / 2)
        let grown = peakResidentBytes() - before
        #expect(grown < 256 << 20, "peak memory grew by \(grown >> 20) MiB")
    }

    /// Substitutions spread through a long line: the split must come out exactly.
    @Test func longLineWithSubstitutionsAndInsertions() {
        let n = 20_000
        let reference = (0..<n).map { "r\($0 % 101)" }
        var hypothesis: [String] = []
        var substitutions = 0
        var insertions = 0
        for (index, word) in reference.enumerated() {
            if index % 10 == 3 {
                hypothesis.append("sub")
                substitutions += 1
            } else {
                hypothesis.append(word)
            }
            if index % 25 == 7 {
                hypothesis.append("ins")
                insertions += 1
            }
        }
        let counts = WordAligner.editCounts(reference: reference, hypothesis: hypothesis)
        #expect(counts == EditCounts(substitutions: substitutions, deletions: 0, insertions: insertions, referenceWords: n))
        let ops = WordAligner.align(reference: reference, hypothesis: hypothesis)
        #expect(EditCounts(alignment: ops, referenceWords: n) == counts)
    }
}

/// The process's peak resident set size so far, in bytes (Linux reports KiB).
private func peakResidentBytes() -> Int {
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
    #else
    getrusage(RUSAGE_SELF, &usage)
    return usage.ru_maxrss
    #endif
}
