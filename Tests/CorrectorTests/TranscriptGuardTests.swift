import Testing
@testable import Corrector

@Suite struct TranscriptGuardTests {
    private let guardrail = TranscriptGuard(maxTokens: 10)

    @Test func dropsNonLatinScriptButKeepsFoldedLatin() {
        let (tokens, notes) = guardrail.clean("Ruzyně tower شكرا جزيلا 1 2")
        #expect(tokens == ["ruzyne", "tower", "1", "2"])
        #expect(notes.contains { $0.contains("non-Latin") })
    }

    @Test func collapsesLoopsButNotDigits() {
        #expect(guardrail.collapseRepeats("roger roger roger roger".split(separator: " ").map(String.init)) == ["roger"])
        #expect(guardrail.collapseRepeats("a b thank you thank you thank you c".split(separator: " ").map(String.init))
            == ["a", "b", "thank", "you", "c"])
        // Twice is speech, not a loop; and 1 1 1 1 is a squawk.
        #expect(guardrail.collapseRepeats("roger roger".split(separator: " ").map(String.init)) == ["roger", "roger"])
        #expect(guardrail.collapseRepeats(["squawk", "1", "1", "1", "1"]) == ["squawk", "1", "1", "1", "1"])
    }

    @Test func truncatesLongInputWithANote() {
        // About 10 kB of speech that never loops.
        let long = (0..<1500).map { "alfa \($0)" }.joined(separator: " ")
        #expect(long.utf8.count > 10_000)
        let (tokens, notes) = guardrail.clean(long)
        #expect(tokens.count == 10)
        #expect(notes.contains { $0.contains("truncated") })
    }

    @Test func emptyInputGivesNothing() {
        #expect(guardrail.clean("  ").tokens.isEmpty)
    }
}
