import ATCText
import Foundation
import PhraseStore
import Testing
@testable import Corrector

@Suite struct TranscriptGuardTests {
    private let guardrail = TranscriptGuard(maxTokens: 10)

    private func words(_ text: String) -> [String] { text.split(separator: " ").map(String.init) }

    @Test func dropsNonLatinScriptButKeepsFoldedLatin() {
        let guarded = guardrail.clean("Ruzyně tower شكرا جزيلا 1 2")
        #expect(guarded.heard.tokens == ["ruzyne", "tower", "1", "2"])
        #expect(guarded.pieces == [.init(tokens: guarded.heard, corrected: true)])
        #expect(guarded.notes.contains { $0.contains("non-Latin") })
    }

    @Test func collapsesLoopsButNotDigits() {
        #expect(guardrail.collapseRepeats(words("roger roger roger roger")) == ["roger"])
        #expect(guardrail.collapseRepeats(words("a b thank you thank you thank you c")) == ["a", "b", "thank", "you", "c"])
        // Twice is speech, not a loop; and 1 1 1 1 is a squawk.
        #expect(guardrail.collapseRepeats(words("roger roger")) == ["roger", "roger"])
        #expect(guardrail.collapseRepeats(["squawk", "1", "1", "1", "1"]) == ["squawk", "1", "1", "1", "1"])
    }

    @Test func longInputIsCutIntoPiecesNotTruncated() {
        // 23 words that never loop: pieces of 10, 10 and 3, all corrected, nothing dropped.
        let text = (0..<23).map { "w\(String(UnicodeScalar(UInt8(97 + $0))))" }.joined(separator: " ")
        let guarded = guardrail.clean(text)
        #expect(guarded.heard.count == 23)
        #expect(guarded.pieces.map(\.tokens.count) == [10, 10, 3])
        #expect(guarded.pieces.allSatisfy { $0.corrected })
        #expect(guarded.pieces.flatMap(\.tokens.tokens) == guarded.heard.tokens)
        #expect(guarded.notes.contains("corrected in 3 pieces of at most 10 words"))
    }

    @Test func overLongWordsAndTheRestBeyondTheCapPassThrough() {
        let limited = TranscriptGuard(maxTokens: 4, maxTokenLength: 8, maxCorrectedTokens: 6)
        let long = String(repeating: "x", count: 9)
        let guarded = limited.clean("a b \(long) c d e f g h")
        #expect(guarded.heard.tokens == ["a", "b", long, "c", "d", "e", "f", "g", "h"])
        // a b | long (through) | c d e f (a full piece; 6 corrected so far) | g h (through).
        #expect(guarded.pieces == [
            .init(tokens: CanonicalTranscript(tokens: ["a", "b"]), corrected: true),
            .init(tokens: CanonicalTranscript(tokens: [long]), corrected: false),
            .init(tokens: CanonicalTranscript(tokens: ["c", "d", "e", "f"]), corrected: true),
            .init(tokens: CanonicalTranscript(tokens: ["g", "h"]), corrected: false),
        ])
        #expect(guarded.notes.contains("passed 1 word longer than 8 characters through unchanged"))
        #expect(guarded.notes.contains("corrected the first 6 of 9 words; the rest is passed through unchanged"))
    }

    @Test func emptyInputGivesNothing() {
        let guarded = guardrail.clean("  ")
        #expect(guarded.heard.isEmpty && guarded.pieces.isEmpty && guarded.notes.isEmpty)
    }

    /// A few thousand seeded random and mutated transcripts — real phraseology cut, repeated and
    /// spliced with other scripts, emoji, combining marks, repaired invalid UTF-8, punctuation
    /// runs and words of up to a million characters — must never trap, must each be cleaned in
    /// bounded time, and must give canonical tokens cut into pieces within the guard's limits.
    @Test func seededMutationsStayCanonicalAndBounded() {
        var random = SplitMix64(seed: 0xA7CF_1C5E)
        let seeds = [
            "Lufthansa 4393 descend flight level 270", "sabena 481 contact rhein 134.6 good bye",
            "Ruzyně tower, CSA 1 2 3, cleared to land runway 24", "hermalt 104 d sign to FL 310 okay",
            "one hundred five thousand twenty-five x-ray that's niner tree", "",
        ]
        let pieces = [
            "roger ", "1 ", "2.5 ", "decimal ", "شكرا ", "Привет ", "東京 ", "🛫 ", "e\u{301} ", "\u{200B}", "\t", "\n",
            "--", "...", "'", "ß", "Æ", "ı", "\u{FFFD}", "FL", "alpha ", "hundred ", "thousand ", "l8r ", "9999999999 ",
        ]
        let clock = ContinuousClock()
        var slowest = Duration.zero
        for round in 0..<3_000 {
            var text = random.pick(seeds)
            for _ in 0..<random.inRange(0...12) {
                let insertion: String
                switch random.below(6) {
                case 0: insertion = random.pick(pieces)
                case 1: insertion = String(repeating: random.pick(pieces), count: random.inRange(2...40))
                case 2: insertion = String(decoding: (0..<random.inRange(1...24)).map { _ in UInt8(truncatingIfNeeded: random.next()) },
                                           as: UTF8.self)
                case 3: insertion = String(repeating: random.pick(["a", "z", "é", "7", "q"]), count: random.inRange(60...2_000))
                case 4: insertion = String(repeating: random.pick(seeds) + " ", count: random.inRange(2...30))
                default: insertion = String(UnicodeScalar(UInt8(random.inRange(32...126))))
                }
                let cut = text.unicodeScalars.index(text.unicodeScalars.startIndex,
                                                    offsetBy: random.below(text.unicodeScalars.count + 1))
                var scalars = text.unicodeScalars
                scalars.insert(contentsOf: insertion.unicodeScalars, at: cut)
                text = String(scalars)
            }
            if round % 1_000 == 999 { text += " " + String(repeating: "w", count: 1_000_000) + " descend" }
            let start = clock.now
            let guarded = guardrail.clean(text)
            slowest = max(slowest, clock.now - start)
            for token in guarded.heard.tokens {
                #expect(!token.isEmpty && token.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) },
                        "non-canonical token \(token.prefix(40)) from \(text.prefix(80))")
                // Digits travel one per token.
                #expect(!token.utf8.contains { $0 >= 0x30 && $0 <= 0x39 } || ATCNormalizer.isDigitToken(token))
            }
            #expect(guarded.pieces.flatMap(\.tokens.tokens) == guarded.heard.tokens)
            for piece in guarded.pieces where piece.corrected {
                #expect(piece.tokens.count <= guardrail.maxTokens)
                #expect(piece.tokens.allSatisfy { $0.utf8.count <= guardrail.maxTokenLength })
            }
            #expect(guarded.pieces.filter(\.corrected).reduce(0) { $0 + $1.tokens.count } <= guardrail.maxCorrectedTokens)
        }
        print("TranscriptGuardTests: slowest of 3000 mutated transcripts cleaned in \(slowest)")
        #expect(slowest < .seconds(10), "one transcript must not stall the guard")
    }
}
