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

    /// Learns the channel model from an index directory's phrase database: the n-gram prior
    /// from the real (transcribed) phrases mixed with the generated ones at
    /// `backgroundWeight` — or from the generated ones alone when there are no real ones —
    /// the confusion table from the noisy pairs, and the sound-alike lexicon from
    /// all phrases. Fails with an ``IndexError`` that says how to build an index when there is
    /// none.
    public static func load(indexDirectory directory: URL, backgroundWeight: Double = defaultBackgroundWeight) throws -> ChannelModel {
        let database = phraseDatabase(in: directory)
        guard FileManager.default.fileExists(atPath: database.path) else { throw IndexError.missing(directory) }
        let store = try PhraseStore(path: database.path, mode: .readOnly)
        let stored = try store.trainingPhrases()
        guard !stored.isEmpty else {
            throw IndexError(directory: directory.path, message: "the phrase database is empty; import a corpus first")
        }
        func tokens(_ canonical: String) -> [String] { canonical.split(separator: " ").map(String.init) }
        let real = stored.filter { !$0.generated }.map { Phrase(tokens: tokens($0.canonical), count: $0.occurrences) }
        let generated = stored.filter(\.generated).map { Phrase(tokens: tokens($0.canonical), count: $0.occurrences) }
        let vocabulary = stored.map { Phrase(tokens: tokens($0.canonical), count: $0.occurrences) }
        let pairs = try store.trainingPairs().map {
            NoisyPair(hypothesis: tokens($0.hypothesisCanonical), reference: tokens($0.referenceCanonical), count: $0.occurrences)
        }
        if real.isEmpty {
            return ChannelModel(priorPhrases: generated, vocabularyPhrases: vocabulary, pairs: pairs)
        }
        return ChannelModel(priorPhrases: real, backgroundPhrases: generated, backgroundWeight: backgroundWeight,
                            vocabularyPhrases: vocabulary, pairs: pairs)
    }
}
