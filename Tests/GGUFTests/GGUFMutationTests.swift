import Foundation
import ParserFuzzing
import Testing

/// Thousands of seeded corruptions of small GGUF files the test makes itself (metadata of
/// every type, four tensor types, both tokenizer families): each must parse or be refused
/// with a `GGUFError`/`TokenizerError` naming the file — never trap, hang or allocate wildly.
@Suite struct GGUFMutationTests {
    static let mutants = 3000

    @Test func seedsAreAccepted() {
        let scratch = ScratchDirectory(label: "gguf-seeds")
        defer { scratch.remove() }
        let probe = GGUFProbe(scratch: scratch)
        for (number, seed) in GGUFProbe.seeds().enumerated() {
            #expect(probe.run(seed) == .accepted, "seed \(number)")
        }
    }

    @Test func everyMutantIsParsedOrRefusedWithATypedError() {
        let scratch = ScratchDirectory(label: "gguf-mutants")
        defer { scratch.remove() }
        let probe = GGUFProbe(scratch: scratch)
        let seeds = GGUFProbe.seeds()
        var mutator = ByteMutator(seed: 0x4747_5546)
        var rejected = 0
        var slowest = Duration.zero
        let clock = ContinuousClock()
        for number in 0..<Self.mutants {
            let input = mutator.mutate(seeds[number % seeds.count])
            let start = clock.now
            let outcome = probe.run(input)
            slowest = max(slowest, clock.now - start)
            if case .rejected(let message) = outcome {
                rejected += 1
                #expect(message.contains(scratch.path("input.gguf")), "mutant \(number): \(message)")
            }
        }
        // The corruptions are real: most are refused (and the rest parse, e.g. a flipped value).
        #expect(rejected > Self.mutants / 4)
        #expect(rejected < Self.mutants)
        #expect(slowest < .seconds(5), "slowest input took \(slowest)")
    }
}
