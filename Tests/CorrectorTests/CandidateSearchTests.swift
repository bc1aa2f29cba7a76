import ATCText
import Retrieval
import Testing
@testable import Corrector

/// The n-best search against exhaustive enumeration of every lattice path.
struct CandidateSearchTests {
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

    static func decoder() -> NoisyChannelDecoder {
        var weights = NoisyChannelDecoder.Weights()
        weights.beamWidth = 100_000
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

    @Test(arguments: ["sabina 4 8 1 ryan identified", "luftheancer 4 3 9 3 d sign", "hermalt 1 2 3 descend",
                      "lufthansa 4 3 9 3 descent flight level 2 7 0", "air malta 1 2 3 contact rhein"])
    func candidatesAreTheExhaustiveTopK(_ transcript: String) {
        let decoder = Self.decoder()
        let heard = transcript.split(separator: " ").map(String.init)
        var paths = Self.bruteForce(decoder, heard)
        // The input is always a candidate, scored as a copy even where no copy step exists.
        if paths[heard] == nil { paths[heard] = decoder.score(ofCopying: heard) }
        let exhaustive = paths.sorted { $0.value > $1.value }
        let found = decoder.candidates(for: heard, count: 6, perState: 10_000)
        #expect(found.count == min(6, exhaustive.count))
        // All but the last slot, which is reserved for the input when it ranks lower.
        for (candidate, truth) in zip(found.prefix(5), exhaustive.prefix(5)) {
            #expect(abs(candidate.score - truth.value) < 1e-9)
            #expect(paths[candidate.words].map { abs($0 - candidate.score) < 1e-9 } == true)
        }
        #expect(found.contains { $0.words == heard })
        #expect(found.first?.words == exhaustive.first?.key)
    }

    @Test func chooseKeepsTheInputWithoutEnoughGain() {
        let decoder = Self.decoder()
        let heard = ["a", "b"]
        let close = [NoisyChannelDecoder.Candidate(words: ["a", "c"], score: -10),
                     NoisyChannelDecoder.Candidate(words: heard, score: -10.5)]
        #expect(decoder.choose(among: close, heard: heard) == heard)     // gain 0.5 < 1.5 per edit
        let far = [NoisyChannelDecoder.Candidate(words: ["a", "c"], score: -5),
                   NoisyChannelDecoder.Candidate(words: heard, score: -10.5)]
        #expect(decoder.choose(among: far, heard: heard) == ["a", "c"])
    }

    @Test func emptyTranscriptHasTheEmptyCandidate() {
        #expect(Self.decoder().candidates(for: [], count: 4).map(\.words) == [[]])
    }
}
