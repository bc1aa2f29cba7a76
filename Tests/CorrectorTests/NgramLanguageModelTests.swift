import Foundation
import Testing
@testable import Corrector

@Suite struct NgramLanguageModelTests {
    private let phrases = [
        "lufthansa 4 3 descend to flight level 2 7 0",
        "speed bird 1 2 climb to flight level 3 1 0",
        "contact rhein 1 3 2 decimal 4 good bye",
        "descend to flight level 2 9 0",
    ].map { $0.split(separator: " ").map(String.init) }

    @Test func distributionsSumToOneInEveryContext() {
        let model = NgramLanguageModel(sentences: phrases)
        let vocabulary = model.vocabulary
        // Every seen context, an unseen word's context, and the sentence start.
        var states = [NgramLanguageModel.start]
        for phrase in phrases {
            var state = NgramLanguageModel.start
            for word in phrase {
                state = model.score(word, after: state).next
                states.append(state)
            }
        }
        states.append(model.score("zzz", after: model.score("descend", after: NgramLanguageModel.start).next).next)
        for state in states {
            // The unseen-word mass: one class standing for every out-of-vocabulary word.
            var total = exp(model.endScore(after: state))
            for word in vocabulary { total += exp(model.score(word, after: state).logProbability) }
            total += exp(model.score("never-seen", after: state).logProbability)
            #expect(abs(total - 1) < 1e-9, "context \(state) sums to \(total)")
        }
    }

    @Test func mixtureSumsToOneAndInterpolates() {
        let generated = [["runway", "2", "7", "cleared", "to", "land"], ["taxi", "to", "holding", "point"]]
        let mixed = NgramLanguageModel(mixture: [(phrases, 0.9), (generated, 0.1)])
        let realOnly = NgramLanguageModel(sentences: phrases)
        var state = NgramLanguageModel.start
        for word in ["descend", "to"] { state = mixed.score(word, after: state).next }
        var total = exp(mixed.endScore(after: state)) + exp(mixed.score("never-seen", after: state).logProbability)
        for word in mixed.vocabulary { total += exp(mixed.score(word, after: state).logProbability) }
        #expect(abs(total - 1) < 1e-9)
        // A word only the generated corpus knows gains probability from it.
        let runwayMixed = mixed.score("runway", after: NgramLanguageModel.start).logProbability
        let runwayReal = realOnly.score("runway", after: NgramLanguageModel.start).logProbability
        #expect(runwayMixed > runwayReal)
    }

    @Test func prefersSeenContinuations() {
        let model = NgramLanguageModel(sentences: phrases)
        let afterDescend = model.score("descend", after: NgramLanguageModel.start).next
        let to = model.score("to", after: afterDescend).logProbability
        let rhein = model.score("rhein", after: afterDescend).logProbability
        #expect(to > rhein)
        // Hand-computed: after <s> descend, "to" was seen twice out of two continuations.
        // P = (2 - 0.75)/2 + 0.75 * 1/2 * P_bigram(to | descend), and P_bigram(to|descend)
        // = (2 - 0.75)/2 + 0.75 * 1/2 * P_cont(to).
        #expect(to > log(0.625))
    }
}
