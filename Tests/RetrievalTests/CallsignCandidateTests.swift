import Testing
@testable import Retrieval

/// A candidate's spoken form, as tokens (hand-written expectations).
@Suite struct CallsignCandidateTests {
    @Test func spokenTokensSpellDigitsAndLetters() {
        let swiss = CallsignCandidate(telephony: "swiss", flightNumber: "281K", score: 0)
        #expect(swiss.spokenTokens == ["swiss", "2", "8", "1", "kilo"])
        #expect(swiss.spoken == "swiss 2 8 1 kilo")
        let malta = CallsignCandidate(telephony: "air malta", flightNumber: "104", score: 0)
        #expect(malta.spokenTokens == ["air", "malta", "1", "0", "4"])
        #expect(CallsignCandidate(telephony: "lufthansa", flightNumber: "", score: 0).spokenTokens == ["lufthansa"])
    }
}
