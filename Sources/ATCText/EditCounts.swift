/// Word edit counts of one hypothesis (or a whole corpus) against its reference.
public struct EditCounts: Sendable, Equatable, Hashable {
    /// Reference words replaced by a different hypothesis word.
    public var substitutions: Int
    /// Reference words missing from the hypothesis.
    public var deletions: Int
    /// Hypothesis words with no reference counterpart.
    public var insertions: Int
    /// Words in the (normalised) reference: the WER denominator.
    public var referenceWords: Int

    /// Counts given directly, e.g. summed elsewhere.
    public init(substitutions: Int = 0, deletions: Int = 0, insertions: Int = 0, referenceWords: Int = 0) {
        self.substitutions = substitutions
        self.deletions = deletions
        self.insertions = insertions
        self.referenceWords = referenceWords
    }

    /// The counts of an alignment produced by ``WordAligner/align(reference:hypothesis:)``.
    public init(alignment: [AlignmentOp], referenceWords: Int) {
        self.init(referenceWords: referenceWords)
        for op in alignment {
            switch op {
            case .match: break
            case .substitute: substitutions += 1
            case .delete: deletions += 1
            case .insert: insertions += 1
            }
        }
    }

    /// Total word edits: substitutions + deletions + insertions.
    public var errors: Int { substitutions + deletions + insertions }

    /// Word error rate as a fraction (0.245 for 24.5%). With no reference words the rate is
    /// undefined; this returns 0 when the hypothesis is empty too and `.infinity` otherwise,
    /// so callers that average must decide what to do (``CorpusWER`` leaves such rows out).
    public var wer: Double {
        if referenceWords == 0 { return errors == 0 ? 0 : .infinity }
        return Double(errors) / Double(referenceWords)
    }

    /// Component-wise sum, for accumulating a corpus.
    public static func + (lhs: EditCounts, rhs: EditCounts) -> EditCounts {
        EditCounts(
            substitutions: lhs.substitutions + rhs.substitutions,
            deletions: lhs.deletions + rhs.deletions,
            insertions: lhs.insertions + rhs.insertions,
            referenceWords: lhs.referenceWords + rhs.referenceWords)
    }

    /// Adds `rhs` into `lhs` component-wise.
    public static func += (lhs: inout EditCounts, rhs: EditCounts) { lhs = lhs + rhs }
}
