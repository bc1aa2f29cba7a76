import ATCText
import Foundation
import PhraseStore

extension ChannelModel {
    /// The phrase database inside an index directory.
    public static func phraseDatabase(in directory: URL) -> URL {
        directory.appendingPathComponent("phrases.sqlite")
    }

    /// Weight of the generated phraseology in the n-gram prior when real phrases exist.
    public static let defaultBackgroundWeight = 0.05

    /// Learns the channel model from an index's opened phrase store: the n-gram prior from
    /// the real (transcribed) phrases mixed with the generated ones at `backgroundWeight` — or
    /// from the generated ones alone when there are no real ones — the confusion table from
    /// the noisy pairs, and the sound-alike lexicon from all phrases. `directory` names the
    /// index in the error when the store is empty.
    public init(store: PhraseStore, directory: URL, backgroundWeight: Double = defaultBackgroundWeight) throws {
        let stored = try store.trainingPhrases()
        guard !stored.isEmpty else {
            throw IndexError(directory: directory.path, message: "the phrase database is empty; import a corpus first")
        }
        func phrase(_ row: TrainingPhrase) -> Phrase {
            Phrase(tokens: CanonicalTranscript(canonicalText: row.canonical).tokens, count: row.occurrences)
        }
        let real = stored.filter { !$0.generated }.map(phrase)
        let generated = stored.filter(\.generated).map(phrase)
        let vocabulary = stored.map(phrase)
        let pairs = try store.trainingPairs().map {
            NoisyPair(hypothesis: CanonicalTranscript(canonicalText: $0.hypothesisCanonical).tokens,
                      reference: CanonicalTranscript(canonicalText: $0.referenceCanonical).tokens, count: $0.occurrences)
        }
        if real.isEmpty {
            self.init(priorPhrases: generated, vocabularyPhrases: vocabulary, pairs: pairs)
        } else {
            self.init(priorPhrases: real, backgroundPhrases: generated, backgroundWeight: backgroundWeight,
                      vocabularyPhrases: vocabulary, pairs: pairs)
        }
    }

    /// Opens the phrase database of an index directory and learns from it (see
    /// ``init(store:directory:backgroundWeight:)``). Fails with an ``IndexError`` that says how to
    /// build an index when there is none, without creating a database.
    public static func load(indexDirectory directory: URL, backgroundWeight: Double = defaultBackgroundWeight) throws -> ChannelModel {
        try ChannelModel(store: try openStore(in: directory), directory: directory, backgroundWeight: backgroundWeight)
    }

    /// The phrase store of an index directory, refusing a directory without one (opening would
    /// create an empty database).
    static func openStore(in directory: URL) throws -> PhraseStore {
        let database = phraseDatabase(in: directory)
        guard FileManager.default.fileExists(atPath: database.path) else { throw IndexError.missing(directory) }
        return try PhraseStore(path: database.path, mode: .readOnly)
    }
}
