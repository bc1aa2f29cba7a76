import Support
import Testing
@testable import ATCText

private func words(_ text: String) -> [String] { text.split(separator: " ").map(String.init) }

/// Hand-computed edit counts and alignments.
@Suite struct WordAlignerTests {
    @Test func identicalHasNoErrors() {
        let counts = WordAligner.editCounts(reference: words("a b c"), hypothesis: words("a b c"))
        #expect(counts == EditCounts(substitutions: 0, deletions: 0, insertions: 0, referenceWords: 3))
        #expect(counts.wer == 0)
    }

    @Test func substitutionDeletionInsertion() {
        #expect(WordAligner.align(reference: words("a b c"), hypothesis: words("a x c"))
            == [.match("a"), .substitute(reference: "b", hypothesis: "x"), .match("c")])
        #expect(WordAligner.align(reference: words("a b c"), hypothesis: words("a c"))
            == [.match("a"), .delete("b"), .match("c")])
        #expect(WordAligner.align(reference: words("a b"), hypothesis: words("a b c"))
            == [.match("a"), .match("b"), .insert("c")])
    }

    @Test func shiftIsOneDeletionAndOneInsertion() {
        let ops = WordAligner.align(reference: words("the cat sat"), hypothesis: words("cat sat down"))
        #expect(ops == [.delete("the"), .match("cat"), .match("sat"), .insert("down")])
        let counts = EditCounts(alignment: ops, referenceWords: 3)
        #expect(counts.errors == 2)
        #expect(abs(counts.wer - 2.0 / 3.0) < 1e-12)
    }

    @Test func kittenSitting() {
        // k i t t e n → s i t t i n g: k→s, e→i, +g = 3 edits over 6 reference words.
        let counts = WordAligner.editCounts(reference: words("k i t t e n"), hypothesis: words("s i t t i n g"))
        #expect(counts == EditCounts(substitutions: 2, deletions: 0, insertions: 1, referenceWords: 6))
        #expect(abs(counts.wer - 0.5) < 1e-12)
    }

    @Test func emptySides() {
        #expect(WordAligner.align(reference: [], hypothesis: []).isEmpty)
        #expect(WordAligner.align(reference: [], hypothesis: ["a", "b"]) == [.insert("a"), .insert("b")])
        #expect(WordAligner.align(reference: ["a"], hypothesis: []) == [.delete("a")])
        #expect(EditCounts(insertions: 2, referenceWords: 0).wer == .infinity)
        #expect(EditCounts().wer == 0)
    }

    /// Plain recursive edit distance, memoised: an independent reference for the aligner.
    private func referenceDistance(_ a: [String], _ b: [String]) -> Int {
        var memo: [Int: Int] = [:]
        func d(_ i: Int, _ j: Int) -> Int {
            if i == a.count { return b.count - j }
            if j == b.count { return a.count - i }
            let key = i * 1000 + j
            if let known = memo[key] { return known }
            let value = min(d(i + 1, j + 1) + (a[i] == b[j] ? 0 : 1), d(i + 1, j) + 1, d(i, j + 1) + 1)
            memo[key] = value
            return value
        }
        return d(0, 0)
    }

    @Test func agreesWithBruteForceAndReconstructsBothSides() {
        var generator = SplitMix64(seed: 42)
        let alphabet = ["a", "b", "c", "d"]
        for iteration in 0..<520 {
            // Mostly short pairs, and some long enough (> 64 words together) for the
            // aligner's dictionary-interning path.
            let maxLength: UInt64 = iteration < 500 ? 9 : 60
            let ref = (0..<Int(generator.next() % maxLength)).map { _ in alphabet[Int(generator.next() % 4)] }
            let hyp = (0..<Int(generator.next() % maxLength)).map { _ in alphabet[Int(generator.next() % 4)] }
            let ops = WordAligner.align(reference: ref, hypothesis: hyp)
            var rebuiltReference: [String] = []
            var rebuiltHypothesis: [String] = []
            var edits = 0
            for op in ops {
                switch op {
                case .match(let w): rebuiltReference.append(w); rebuiltHypothesis.append(w)
                case .substitute(let r, let h):
                    #expect(r != h)
                    rebuiltReference.append(r); rebuiltHypothesis.append(h); edits += 1
                case .delete(let r): rebuiltReference.append(r); edits += 1
                case .insert(let h): rebuiltHypothesis.append(h); edits += 1
                }
            }
            #expect(rebuiltReference == ref)
            #expect(rebuiltHypothesis == hyp)
            #expect(edits == referenceDistance(ref, hyp), "ref \(ref) hyp \(hyp)")
        }
    }
}

@Suite struct CorpusWERTests {
    @Test func normalisesBothSidesAndAverages() {
        var corpus = CorpusWER()
        // 5 reference tokens, digits written differently: no error.
        let first = corpus.add(reference: "lufthansa four three nine three", hypothesis: " Lufthansa 4393.")
        #expect(first == EditCounts(referenceWords: 5))
        // contact rhein 1 3 2 decimal 4 (7 tokens) vs contact rain 1 3 2 decimal 4: one substitution.
        let second = corpus.add(reference: "contact rhein one three two decimal four", hypothesis: "Contact Rain 132.4")
        #expect(second == EditCounts(substitutions: 1, referenceWords: 7))
        #expect(corpus.total == EditCounts(substitutions: 1, referenceWords: 12))
        #expect(abs(corpus.wer - 1.0 / 12.0) < 1e-12)
        #expect(abs(corpus.meanUtteranceWER - (0.0 + 1.0 / 7.0) / 2.0) < 1e-12)
        #expect(corpus.rows.count == 2)
        #expect(corpus.rows[1].hypothesis == ["contact", "rain", "1", "3", "2", "decimal", "4"])
    }

    @Test func emptyReferenceCountsInCorpusButNotInMean() {
        var corpus = CorpusWER()
        corpus.add(reference: "roger", hypothesis: "roger")
        corpus.add(reference: "", hypothesis: "thank you")  // 2 insertions, rate undefined
        #expect(corpus.total == EditCounts(insertions: 2, referenceWords: 1))
        #expect(corpus.wer == 2.0)
        #expect(corpus.meanUtteranceWER == 0.0)
        #expect(corpus.emptyReferenceRows == 1)
        #expect(corpus.rowCount == 2)
    }

    @Test func emptyCorpus() {
        let corpus = CorpusWER()
        #expect(corpus.wer == 0)
        #expect(corpus.meanUtteranceWER == 0)
    }

    @Test func totalsWithoutKeepingRows() {
        var corpus = CorpusWER(keepingRows: false)
        corpus.add(reference: "a b", hypothesis: "a c")
        #expect(corpus.rows.isEmpty)
        #expect(corpus.rowCount == 1)
        #expect(corpus.total == EditCounts(substitutions: 1, referenceWords: 2))
    }
}

@Suite struct CorpusWERReportTests {
    @Test func jsonHasTheDocumentedKeysAndValues() {
        var corpus = CorpusWER()
        corpus.add(reference: "a b c d", hypothesis: "a x c")  // 1 sub, 1 del over 4 words
        corpus.add(reference: "", hypothesis: "q")  // 1 insertion, empty reference
        #expect(corpus.jsonSummary(file: "dir/\"x\".csv") == "{\"file\": \"dir/\\\"x\\\".csv\", \"rows\": 2, "
            + "\"ref_words\": 4, \"sub\": 1, \"del\": 1, \"ins\": 1, \"errors\": 3, \"wer\": 0.750000, "
            + "\"mean_utt_wer\": 0.500000, \"empty_ref_rows\": 1}")
    }

    @Test func textSummaryShowsPercentages() {
        var corpus = CorpusWER()
        corpus.add(reference: "a b c d", hypothesis: "a x c")
        let text = corpus.textSummary(file: "f.csv")
        #expect(text.contains("f.csv: 1 rows, 4 reference words"))
        #expect(text.contains(" 50.00%  (sub 1, del 1, ins 0)"))
    }

    @Test func jsonEscapesControlCharacters() {
        #expect(CorpusWER.jsonString("a\tb\n\u{01}\\") == "\"a\\tb\\n\\u0001\\\\\"")
    }
}
