import Foundation
import PhraseStore

/// Imports bytes as a corpus CSV (reference and Whisper columns) and as a plain-text phrase
/// list into one phrase store, the way `atcfix corpus import` does.
public final class CorpusImportProbe: @unchecked Sendable {
    private let scratch: ScratchDirectory
    private let store: PhraseStore
    private let corpus: EmbeddedCorpus

    /// A probe with its own store in `scratch`, importing against `corpus`.
    public init(scratch: ScratchDirectory, corpus: EmbeddedCorpus) throws(PhraseStoreError) {
        self.scratch = scratch
        self.corpus = corpus
        store = try PhraseStore(path: scratch.path("probe.sqlite"))
    }

    /// A probe importing against the default corpus (the repository's `corpora/`, or
    /// `$ATCFIX_CORPUS_DIR`), as a real import does.
    public convenience init(scratch: ScratchDirectory) throws(PhraseStoreError) {
        try self.init(scratch: scratch, corpus: EmbeddedCorpus.load())
    }

    /// Imports `bytes` both ways; rejected when either import refuses them.
    public func run(_ bytes: [UInt8]) -> ProbeOutcome {
        let csv = URL(fileURLWithPath: scratch.write(bytes, to: "corpus.csv"))
        let text = URL(fileURLWithPath: scratch.write(bytes, to: "corpus.txt"))
        var outcome = ProbeOutcome.accepted
        do {
            _ = try store.importCSV(at: csv, name: "probe-csv", corpus: corpus)
        } catch {
            outcome = .rejected(error.description)
        }
        do {
            _ = try store.importText(at: text, name: "probe-text", corpus: corpus)
        } catch {
            outcome = .rejected(error.description)
        }
        return outcome
    }

    /// Corpus CSVs with callsigns, numbers, quoting and a row the importer skips.
    public static func seeds() -> [[UInt8]] {
        [
            "correct_text,whisper_text\nlufthansa four two one descend flight level eight zero,Lufthansa 421 descend FL80\n"
                + "swiss one two contact zurich one three four decimal six,\"Swiss 12, contact Zurich 134.6\"\n,\n",
            "correct_text,whisper_text,extra\r\nspeedbird three alpha cleared to land runway two seven,Speedbird 3A cleared to land runway 27,x\r\n",
        ].map { Array($0.utf8) }
    }
}
