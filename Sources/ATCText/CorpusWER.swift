/// Accumulates WER over a corpus, normalising both sides with ``ATCNormalizer``.
///
/// Two averages are kept because they answer different questions: ``wer`` (total edits /
/// total reference words) is the standard corpus figure and weights long utterances more;
/// ``meanUtteranceWER`` (the mean of per-row rates) is what earlier work on this data
/// reported, and weights every utterance equally.
public struct CorpusWER: Sendable {
    /// The score of one row.
    public struct Row: Sendable, Equatable {
        /// The row's edit counts after normalisation.
        public var counts: EditCounts
        /// The normalised reference tokens.
        public var reference: [String]
        /// The normalised hypothesis tokens.
        public var hypothesis: [String]
    }

    /// Every row added so far, in order (empty when created with `keepingRows: false`).
    public private(set) var rows: [Row] = []
    /// How many rows were added.
    public private(set) var rowCount = 0
    /// Whether per-row results are kept; a long corpus scored only for its totals can skip
    /// them and keep memory flat.
    public let keepsRows: Bool
    /// The sum of all rows' edit counts.
    public private(set) var total = EditCounts()
    private var perRowRateSum = 0.0
    private var scoredRowCount = 0

    /// An empty accumulator; `keepingRows: false` drops per-row results after counting them.
    public init(keepingRows: Bool = true) {
        keepsRows = keepingRows
    }

    /// Normalises both sides, aligns them, records the row and returns its counts.
    @discardableResult
    public mutating func add(reference: String, hypothesis: String) -> EditCounts {
        add(referenceTokens: ATCNormalizer.canonicalTokens(reference),
            hypothesisTokens: ATCNormalizer.canonicalTokens(hypothesis))
    }

    /// Records a row whose sides are already canonical tokens (e.g. a corrector's output).
    @discardableResult
    public mutating func add(referenceTokens: [String], hypothesisTokens: [String]) -> EditCounts {
        let counts = WordAligner.editCounts(reference: referenceTokens, hypothesis: hypothesisTokens)
        rowCount += 1
        if keepsRows {
            rows.append(Row(counts: counts, reference: referenceTokens, hypothesis: hypothesisTokens))
        }
        total += counts
        if counts.referenceWords > 0 {
            perRowRateSum += counts.wer
            scoredRowCount += 1
        }
        return counts
    }

    /// Corpus WER: total edits / total reference words (0 for an empty corpus).
    public var wer: Double {
        total.referenceWords == 0 ? 0 : Double(total.errors) / Double(total.referenceWords)
    }

    /// Mean of the per-row WERs over rows whose normalised reference has at least one word.
    /// Rows with an empty reference are left out, because their rate is undefined (any
    /// inserted word is an infinite rate); their insertions still count in ``wer`` and in
    /// ``total``, and ``emptyReferenceRows`` says how many there were.
    public var meanUtteranceWER: Double {
        scoredRowCount == 0 ? 0 : perRowRateSum / Double(scoredRowCount)
    }

    /// Rows whose normalised reference is empty (left out of ``meanUtteranceWER``).
    public var emptyReferenceRows: Int { rowCount - scoredRowCount }
}
