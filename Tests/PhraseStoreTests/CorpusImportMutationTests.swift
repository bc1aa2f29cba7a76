import Foundation
import ParserFuzzing
import PhraseStore
import Testing

/// Seeded corruptions of corpus CSVs imported into a phrase store, as CSV and as a phrase
/// list: each import must succeed or be refused (and rolled back) with a `PhraseStoreError`.
@Suite struct CorpusImportMutationTests {
    static let mutants = 600

    @Test func everyMutantIsImportedOrRefusedWithATypedError() throws {
        let scratch = ScratchDirectory(label: "corpus-mutants")
        defer { scratch.remove() }
        let probe = try CorpusImportProbe(scratch: scratch, corpus: TestSupport.corpus)
        let seeds = CorpusImportProbe.seeds()
        for seed in seeds { #expect(probe.run(seed) == .accepted) }
        var mutator = ByteMutator(seed: 0x434F_5250, headerBytes: 48)
        var rejected = 0
        for number in 0..<Self.mutants {
            if case .rejected(let message) = probe.run(mutator.mutate(seeds[number % seeds.count])) {
                rejected += 1
                #expect(!message.isEmpty)
            }
        }
        #expect(rejected > 0)
        #expect(rejected < Self.mutants)
    }
}
