import ATCText
import Corrector

/// One corrected transcript as `correct --json` prints it.
struct CorrectionOutput: Encodable {
    struct Candidate: Encodable {
        var text: String
        var score: Double?
        /// True for the candidate the engine output.
        var chosen: Bool
    }

    var input: String
    var corrected: String
    var heard: String
    var tokens: [String]
    var notes: [String]
    var candidates: [Candidate]
    var retrieval: RetrievalOutput?
    var diff: String
    var milliseconds: Double?

    init(_ correction: Correction, milliseconds: Double, extraNotes: [String] = []) {
        input = correction.input
        corrected = correction.readable
        heard = correction.heard.text
        tokens = correction.corrected.tokens
        notes = correction.notes + extraNotes
        // The first candidate with the output's words is the chosen one (later equal ones are
        // the same rewrite reached another way).
        let chosenIndex = correction.candidates.firstIndex { $0.words == correction.corrected }
        candidates = correction.candidates.enumerated().map { index, candidate in
            Candidate(text: candidate.words.readable, score: JSONOutput.score(candidate.score),
                      chosen: index == chosenIndex)
        }
        retrieval = correction.retrieval.map(RetrievalOutput.init)
        diff = WordDiff.render(from: correction.heard.tokens, to: correction.corrected.tokens, colour: false)
        self.milliseconds = JSONOutput.score(milliseconds)
    }
}
