import Foundation
import ParserFuzzing
import Testing

/// Seeded corruptions of small index files the test builds itself. Half are resealed (every
/// checksum recomputed), so they reach the structural checks a forged file would: each must
/// load and answer searches, or be refused with an `HNSWError` naming the file.
@Suite struct HNSWMutationTests {
    static let mutants = 3000

    @Test func everyMutantLoadsOrIsRefusedWithATypedError() {
        let scratch = ScratchDirectory(label: "hnsw-mutants")
        defer { scratch.remove() }
        let seeds = HNSWProbe.seeds(scratch: scratch)
        #expect(seeds.count == 3)
        let probe = HNSWProbe(scratch: scratch)
        for seed in seeds {
            #expect(probe.run(seed) == .accepted)
            #expect(HNSWProbe.resealed(seed) == seed, "resealing a valid file changes nothing")
        }
        var mutator = ByteMutator(seed: 0x484E_5357, headerBytes: 512)
        var rejected = 0
        var rejectedResealed = 0
        var slowest = Duration.zero
        let clock = ContinuousClock()
        for number in 0..<Self.mutants {
            var input = mutator.mutate(seeds[number % seeds.count])
            let resealed = number % 2 == 1
            if resealed { input = HNSWProbe.resealed(input) }
            let start = clock.now
            let outcome = probe.run(input)
            slowest = max(slowest, clock.now - start)
            if case .rejected(let message) = outcome {
                rejected += 1
                if resealed { rejectedResealed += 1 }
                #expect(!message.isEmpty)
            }
        }
        #expect(rejected > Self.mutants / 2)
        // Resealed mutants are refused by the structural checks, not the checksums.
        #expect(rejectedResealed > Self.mutants / 10)
        #expect(slowest < .seconds(5), "slowest input took \(slowest)")
    }
}
