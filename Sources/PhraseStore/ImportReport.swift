/// What an import did.
public struct ImportReport: Sendable, Equatable, CustomStringConvertible {
    /// The corpus name the rows were stored under.
    public var corpus: String
    /// True when the same content had already been imported under this name, so nothing
    /// was written.
    public var unchanged: Bool
    /// True when a corpus of this name with different content was replaced.
    public var replaced: Bool
    /// Input rows or lines read.
    public var rowsRead: Int
    /// Rows skipped because their phrase was empty after normalisation.
    public var rowsSkipped: Int
    /// Distinct phrases (canonical forms) stored for the corpus.
    public var phrases: Int
    /// Distinct noisy pairs stored for the corpus.
    public var noisyPairs: Int
    /// Distinct callsigns stored for the corpus.
    public var callsigns: Int

    /// A report.
    public init(corpus: String, unchanged: Bool, replaced: Bool, rowsRead: Int, rowsSkipped: Int, phrases: Int,
                noisyPairs: Int, callsigns: Int) {
        self.corpus = corpus
        self.unchanged = unchanged
        self.replaced = replaced
        self.rowsRead = rowsRead
        self.rowsSkipped = rowsSkipped
        self.phrases = phrases
        self.noisyPairs = noisyPairs
        self.callsigns = callsigns
    }

    /// One line for the command line.
    public var description: String {
        if unchanged { return "corpus '\(corpus)': already imported with identical content; nothing changed" }
        return "corpus '\(corpus)'\(replaced ? " (replaced)" : ""): \(rowsRead) rows read, \(rowsSkipped) skipped, "
            + "\(phrases) phrases, \(noisyPairs) noisy pairs, \(callsigns) callsigns"
    }
}
