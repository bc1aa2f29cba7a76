import Foundation
import ParserFuzzing
import Testing

/// Seeded corruptions of small CSVs (quoting, line breaks in fields, CRLF and CR, BOM,
/// non-ASCII): each must read to the end, strictly, repaired and in 7-byte chunks, or be
/// refused with a `CSVError` naming the file.
@Suite struct CSVMutationTests {
    static let mutants = 3000

    @Test func everyMutantIsReadOrRefusedWithATypedError() {
        let scratch = ParserFuzzing.ScratchDirectory(label: "csv-mutants")
        defer { scratch.remove() }
        let probe = CSVProbe(scratch: scratch)
        let seeds = CSVProbe.seeds()
        for seed in seeds { #expect(probe.run(seed) == .accepted) }
        var mutator = ByteMutator(seed: 0x4353_56, headerBytes: 64)
        var rejected = 0
        for number in 0..<Self.mutants {
            let outcome = probe.run(mutator.mutate(seeds[number % seeds.count]))
            if case .rejected(let message) = outcome {
                rejected += 1
                #expect(message.contains(scratch.path("input.csv")), "mutant \(number): \(message)")
            }
        }
        #expect(rejected > Self.mutants / 10)
        #expect(rejected < Self.mutants)
    }
}
