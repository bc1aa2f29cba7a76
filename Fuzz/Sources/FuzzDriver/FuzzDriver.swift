import Foundation
import ParserFuzzing

/// What every harness does with libFuzzer's two entry points, given a probe and its seeds.
///
/// Each input gets the probe's verdict, which is always acceptance or a typed refusal; a trap,
/// an address-sanitizer report, a leak or a timeout is what libFuzzer reports as a crash.
/// With `ATCFIX_FUZZ_SEEDS=DIR` in the environment the harness writes its seed files into
/// `DIR` instead of fuzzing, which is how scripts/reliability/fuzz.sh makes the corpora.
public struct FuzzDriver: Sendable {
    private let seeds: @Sendable () -> [[UInt8]]
    private let probe: @Sendable ([UInt8]) -> Void

    /// A driver running `probe` on every input and offering `seeds` as the starting corpus.
    public init(seeds: @escaping @Sendable () -> [[UInt8]], probe: @escaping @Sendable ([UInt8]) -> Void) {
        self.seeds = seeds
        self.probe = probe
    }

    /// `LLVMFuzzerInitialize`: writes the seeds and exits when asked to.
    public func initialize() -> CInt {
        guard let directory = ProcessInfo.processInfo.environment["ATCFIX_FUZZ_SEEDS"], !directory.isEmpty else { return 0 }
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (number, seed) in seeds().enumerated() {
            FileManager.default.createFile(atPath: "\(directory)/seed-\(number)", contents: Data(seed))
        }
        exit(0)
    }

    /// `LLVMFuzzerTestOneInput`.
    public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        probe(bytes)
        return 0
    }
}
