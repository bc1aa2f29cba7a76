import Foundation
import Testing
@testable import Retrieval

@Suite struct ConfusionTableTests {
    private func tokens(_ text: String) -> [String] { text.split(separator: " ").map(String.init) }

    @Test func learnsSpanRewritesAndCopies() {
        let table = ConfusionTable(pairs: [
            (hypothesis: tokens("lufthansa 4 d sign flight level 2"), reference: tokens("lufthansa 4 descend flight level 2")),
            (hypothesis: tokens("d sign to flight level 3"), reference: tokens("descend to flight level 3")),
            (hypothesis: tokens("contact line 1 2"), reference: tokens("contact rhein 1 2")),
        ])
        // "d sign" was heard twice and meant "descend" both times.
        let dSign = table.rewrites(of: ["d", "sign"])
        #expect(dSign == [ConfusionTable.Rewrite(reference: ["descend"], count: 2)])
        // Occurrences of the heard span "d sign": 2, so P = 2 / (2 + 1).
        #expect(abs(table.logProbability(of: dSign[0], heard: ["d", "sign"]) - log(2.0 / 3.0)) < 1e-12)
        // Matches are counted as copies: "flight" heard twice, right each time.
        #expect(table.rewrites(of: ["flight"]) == [ConfusionTable.Rewrite(reference: ["flight"], count: 2)])
        #expect(table.rewrites(of: ["line"]) == [ConfusionTable.Rewrite(reference: ["rhein"], count: 1)])
        #expect(table.occurrences[["flight", "level"]] == 2)
        #expect(!table.knows(["rhein"]))
        #expect(table.pairCount == 3)
    }

    @Test func keepsDeletionsAndHalfCountsInsideLongRegions() {
        // "1 3 2 4 0" heard for "1 3 2 decimal 4": the aligner substitutes 4→decimal and 0→4.
        let table = ConfusionTable(pairs: [
            (hypothesis: tokens("a b x y c"), reference: tokens("a b z c")),
        ])
        // One region "x y" → "z" (a substitution and an insertion).
        #expect(table.rewrites(of: ["x", "y"]) == [ConfusionTable.Rewrite(reference: ["z"], count: 1)])
        // The single substitution inside it is kept at half weight.
        let single = table.rewrites(of: ["x"]) + table.rewrites(of: ["y"])
        #expect(single == [ConfusionTable.Rewrite(reference: ["z"], count: 0.5)])
    }
}
