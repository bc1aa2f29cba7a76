import ATCText
import Testing
@testable import Corrector

/// The one lattice search against independent references: exhaustive enumeration of every
/// lattice path, and a plain one-hypothesis-per-state Viterbi beam written out here (the
/// 1-best decoding the engine had before the n-best search replaced it).
struct NBestSearchTests {
    static let phrases: [[String]] = [
        "lufthansa 4 3 9 3 descend flight level 2 7 0",
        "lufthansa 4 3 9 3 contact rhein 1 3 4 decimal 6",
        "sabena 4 8 1 rhein identified",
        "air malta 1 2 3 descend flight level 2 5 0",
        "descend flight level 3 1 0",
    ].map { $0.split(separator: " ").map(String.init) }
    static let pairTexts: [(String, String)] = [
        ("luftheancer 4 3 9 3 d sign flight level 2 7 0", "lufthansa 4 3 9 3 descend flight level 2 7 0"),
        ("sabina 4 8 1 ryan identified", "sabena 4 8 1 rhein identified"),
        ("hermalt 1 2 3 descend flight level 2 5 0", "air malta 1 2 3 descend flight level 2 5 0"),
    ]
    static func words(_ text: String) -> [String] { text.split(separator: " ").map(String.init) }
    static let pairs: [(hypothesis: [String], reference: [String])] = pairTexts.map { (words($0.0), words($0.1)) }
    static let transcripts = ["sabina 4 8 1 ryan identified", "luftheancer 4 3 9 3 d sign", "hermalt 1 2 3 descend",
                              "lufthansa 4 3 9 3 descent flight level 2 7 0", "air malta 1 2 3 contact rhein",
                              "sabina 4 8 1 contact ryan 1 3 4 decimal 6 d sign flight level 3 1 0"]

    static func decoder(beamWidth: Int = 100_000) -> NoisyChannelDecoder {
        var weights = NoisyChannelDecoder.Weights()
        weights.beamWidth = beamWidth
        return NoisyChannelDecoder(languageModel: NgramLanguageModel(sentences: phrases),
                                   confusions: ConfusionTable(pairs: pairs),
                                   lexicon: SoundAlikeLexicon(phrases: phrases), weights: weights)
    }

    /// Every complete path, by word sequence, with the best score of any path giving it.
    static func bruteForce(_ decoder: NoisyChannelDecoder, _ heard: [String]) -> [[String]: Double] {
        var best: [[String]: Double] = [:]
        func walk(_ position: Int, _ state: NoisyChannelDecoder.PriorState, _ words: [String], _ score: Double) {
            if position == heard.count {
                let total = score + decoder.weights.languageModel * decoder.prior("", after: state).logProbability
                best[words] = max(best[words] ?? -.infinity, total)
                return
            }
            for step in decoder.steps(at: position, of: heard) {
                var next = state, lm = 0.0
                for word in step.emitted {
                    let scored = decoder.prior(word, after: next)
                    lm += scored.logProbability
                    next = scored.next
                }
                walk(position + step.consumed, next, words + step.emitted,
                     score + step.channelScore + decoder.weights.languageModel * lm)
            }
        }
        walk(0, decoder.priorStart, [], 0)
        return best
    }

    /// A Viterbi beam with one hypothesis per prior state: at each position the `beamWidth`
    /// best states pass on, a state reached twice keeps the better score (the first on a tie).
    static func viterbi(_ decoder: NoisyChannelDecoder, _ heard: [String]) -> (words: [String], score: Double) {
        var lattice = [[NoisyChannelDecoder.PriorState: (score: Double, words: [String])]](repeating: [:], count: heard.count + 1)
        lattice[0][decoder.priorStart] = (0, [])
        for position in 0..<heard.count {
            let survivors = lattice[position].sorted {
                $0.value.score != $1.value.score ? $0.value.score > $1.value.score : $0.value.words.lexicographicallyPrecedes($1.value.words)
            }.prefix(decoder.weights.beamWidth)
            for (state, hypothesis) in survivors {
                for step in decoder.steps(at: position, of: heard) {
                    let (lm, next) = decoder.prior(of: step.emitted, after: state)
                    let score = hypothesis.score + step.channelScore + decoder.weights.languageModel * lm
                    if let existing = lattice[position + step.consumed][next], existing.score >= score { continue }
                    lattice[position + step.consumed][next] = (score, hypothesis.words + step.emitted)
                }
            }
        }
        return lattice[heard.count].map { state, hypothesis in
            (hypothesis.words, hypothesis.score + decoder.weights.languageModel * decoder.endPrior(after: state))
        }.min { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.lexicographicallyPrecedes($1.0) }!
    }

    @Test(arguments: transcripts)
    func nBestIsTheExhaustiveTopK(_ transcript: String) {
        let decoder = Self.decoder()
        let heard = Self.words(transcript)
        let exhaustive = Self.bruteForce(decoder, heard)
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.lexicographicallyPrecedes($1.key) }
        let found = decoder.nBest(CanonicalTranscript(tokens: heard), count: 6, perState: 10_000)
        #expect(found.count == min(6, exhaustive.count))
        for (candidate, truth) in zip(found, exhaustive) {
            #expect(candidate.words.tokens == truth.key)
            #expect(abs(candidate.score - truth.value) < 1e-9)
        }
    }

    @Test(arguments: transcripts)
    func nBestIsSortedAndDistinct(_ transcript: String) {
        let heard = CanonicalTranscript(tokens: Self.words(transcript))
        for perState in [1, 3] {
            let found = Self.decoder(beamWidth: 20).nBest(heard, count: 12, perState: perState)
            #expect(!found.isEmpty)
            #expect(Set(found.map(\.words)).count == found.count)
            #expect(zip(found, found.dropFirst()).allSatisfy { $0.score >= $1.score })
        }
    }

    /// With one hypothesis per state the search is the Viterbi beam: the same best rewrite and
    /// score, also when the beam is narrow enough to prune.
    @Test(arguments: [1, 2, 4, 20])
    func oneBestIsTheViterbiDecode(beamWidth: Int) {
        let decoder = Self.decoder(beamWidth: beamWidth)
        for transcript in Self.transcripts {
            let heard = Self.words(transcript)
            let reference = Self.viterbi(decoder, heard)
            let best = decoder.nBest(CanonicalTranscript(tokens: heard), count: 1).first
            #expect(best?.words.tokens == reference.words, "\(transcript) with beam \(beamWidth)")
            #expect(best.map { abs($0.score - reference.score) < 1e-9 } == true)
        }
    }

    @Test(arguments: transcripts)
    func proposalsKeepTheInputWithItsBestScore(_ transcript: String) {
        let decoder = Self.decoder()
        let heard = Self.words(transcript)
        let paths = Self.bruteForce(decoder, heard)
        let input = CanonicalTranscript(tokens: heard)
        let proposals = decoder.propose(input, count: 3, perState: 10_000)
        // The input is scored by its best path, or by the copy path where it is better (or the
        // lattice has none).
        let expected = max(paths[heard] ?? -.infinity, decoder.score(ofCopying: input))
        #expect(abs(proposals.asHeard.score - expected) < 1e-9)
        #expect(proposals.ranked.count == min(3, paths.count + (paths[heard] == nil ? 1 : 0)))
        #expect(proposals.ranked.contains(proposals.asHeard))
        // The other places are the exhaustive best, in order.
        let others = paths.filter { $0.key != heard }.sorted { $0.value > $1.value }
        let listed = proposals.ranked.filter { $0.words != input }
        for (candidate, truth) in zip(listed, others) { #expect(abs(candidate.score - truth.value) < 1e-9) }
    }

    @Test func emptyTranscriptHasTheEmptyCandidate() {
        let proposals = Self.decoder().propose(.empty, count: 4)
        #expect(proposals.ranked.map(\.words) == [.empty])
        #expect(Self.decoder().decode(.empty).isEmpty)
    }
}
