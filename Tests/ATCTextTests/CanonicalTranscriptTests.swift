import ATCText
import Testing

@Suite struct CanonicalTranscriptTests {
    @Test func normalisesOnceAndKeepsTextAndTokensInStep() {
        let transcript = CanonicalTranscript(normalising: " Lufthansa 4393, descend FL270.")
        #expect(transcript.tokens == ["lufthansa", "4", "3", "9", "3", "descend", "flight", "level", "2", "7", "0"])
        #expect(transcript.text == "lufthansa 4 3 9 3 descend flight level 2 7 0")
        #expect(transcript.readable == "lufthansa 4393 descend flight level 270")
        #expect(transcript.count == 11)
        #expect(transcript[0] == "lufthansa")
    }

    @Test func storedTextRoundTripsAndEqualityIsByTokens() {
        let stored = CanonicalTranscript(canonicalText: "contact rhein 1 3 2 decimal 4")
        #expect(stored == CanonicalTranscript(tokens: ["contact", "rhein", "1", "3", "2", "decimal", "4"]))
        #expect(stored.readable == "contact rhein 132.4")
        #expect(CanonicalTranscript(canonicalText: "  ").isEmpty)
        #expect(CanonicalTranscript.empty.text == "")
    }
}
