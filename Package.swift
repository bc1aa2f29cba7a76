// swift-tools-version: 6.1
import PackageDescription

// The module graph (see docs/ARCHITECTURE.md):
//   Support                   memory-mapped files, half floats, the seeded PRNG
//   ATCText, CSVIO            text normal form, WER, strict CSV
//   PhraseStore  → ATCText, CSVIO, Support, GRDB, Crypto  SQLite phraseology (corpora/
//                                                    compiled in by EmbeddedCorpusPlugin)
//   GGUF         → Support                          model files, tokenizers
//   Llama        → GGUF, Support, CBLAS             inference on CPU
//   VectorIndex  → Support                          HNSW
//   Retrieval    → PhraseStore, VectorIndex, Llama, ATCText
//   Corrector    → Retrieval, Llama, ATCText  the engine
//   atcfix       → everything + ArgumentParser (thin CLI)
// Every module builds with Swift's normal checks in release (-O): bounds, overflow and
// unwrap checks are what turn a corrupted file or a hostile option into an error instead of
// memory corruption or an endless loop, and every module but the C kernels parses input
// (GGUF, HNSW files, CSV, SQLite rows, options, model hyper-parameters). The hot loops that
// need speed already use unsafe pointers, which carry no bounds checks; -Ounchecked was
// dropped for all modules (see docs/BENCHMARKS.md, "Release build settings").
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
]

// The Llama kernels rely on LLVM vectorising integer loops into vpmaddwd/vpdpwssd, which
// needs a CPU baseline above x86-64's SSE2. Haswell (AVX2, FMA, F16C; 2013+) is the portable
// default on x86-64 hosts; set ATCFIX_TARGET_CPU (e.g. znver4, icelake-server) to tune for
// the build machine as llama.cpp's native build does.
#if arch(x86_64)
let llamaTargetCPU = Context.environment["ATCFIX_TARGET_CPU"] ?? "haswell"
let llamaSettings: [SwiftSetting] = strict + [
    .unsafeFlags(["-target-cpu", llamaTargetCPU]),
    // Unoptimised kernels are ~50× slower, which would make the parity tests take minutes.
    .unsafeFlags(["-O"], .when(configuration: .debug)),
]
#else
let llamaSettings: [SwiftSetting] = strict + [.unsafeFlags(["-O"], .when(configuration: .debug))]
#endif

let package = Package(
    name: "atcfix",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "atcfix", targets: ["atcfix"]),
        .library(name: "Corrector", targets: ["Corrector"]),
        // For the separate fuzzing package in Fuzz/, which depends on this one by path.
        .library(name: "ParserFuzzing", targets: ["ParserFuzzing"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .target(name: "Support", swiftSettings: strict),
        // Seed files, seeded corruptions and one probe per parser: shared by the mutation tests
        // and the libFuzzer harnesses in Fuzz/ (nothing in the product depends on it).
        .target(
            name: "ParserFuzzing",
            dependencies: ["Support", "GGUF", "VectorIndex", "CVectorKernels", "CSVIO", "PhraseStore"],
            swiftSettings: strict
        ),
        // -O in debug too: corpus WER aligns whole files given as one line (10^5 words a side,
        // 10^10 DP cells), which unoptimised code takes minutes over.
        .target(name: "ATCText", swiftSettings: strict + [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "CSVIO", swiftSettings: strict),
        .target(
            name: "PhraseStore",
            dependencies: [
                "ATCText", "CSVIO", "Support", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // -O in debug too: ContentHash also fingerprints 100 MB model files for indexes.
            swiftSettings: strict + [.unsafeFlags(["-O"], .when(configuration: .debug))],
            // corpora/ compiled in, so the binary carries its default corpus (see EmbeddedCorpus).
            plugins: [.plugin(name: "EmbeddedCorpusPlugin")]
        ),
        .executableTarget(name: "EmbeddedCorpusGenerator", swiftSettings: strict),
        .plugin(name: "EmbeddedCorpusPlugin", capability: .buildTool(), dependencies: ["EmbeddedCorpusGenerator"]),
        .target(name: "GGUF", dependencies: ["Support"], swiftSettings: strict),
        .target(name: "Llama", dependencies: ["GGUF", "Support", "CBLAS", "CLlamaKernels"], swiftSettings: llamaSettings),
        // K-quant integer dot products with run-time CPU dispatch (see its header for why C).
        .target(name: "CLlamaKernels", cSettings: [.unsafeFlags(["-O3"])]),
        // SIMD distance kernels with run-time CPU dispatch and prefetch (see its header for why C).
        .target(name: "CVectorKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "VectorIndex", dependencies: ["CVectorKernels", "Support"], swiftSettings: strict),
        .target(
            name: "Retrieval",
            dependencies: ["ATCText", "PhraseStore", "VectorIndex", "Llama", "GGUF"],
            // -O in debug too: whitening vectors is a loop that runs ~50× slower unoptimised,
            // which would make every model-based test wait on it.
            swiftSettings: strict + [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        .target(
            name: "Corrector",
            dependencies: ["ATCText", "CSVIO", "PhraseStore", "Retrieval", "GGUF", "Llama"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "atcfix",
            dependencies: [
                "ATCText", "CSVIO", "PhraseStore", "GGUF", "Llama", "VectorIndex", "Retrieval", "Corrector",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "SupportTests", dependencies: ["Support"], swiftSettings: strict),
        .testTarget(name: "ATCTextTests", dependencies: ["ATCText", "CSVIO", "Support"], swiftSettings: strict),
        .testTarget(name: "CSVIOTests", dependencies: ["CSVIO", "ParserFuzzing"], swiftSettings: strict),
        .testTarget(
            name: "PhraseStoreTests",
            dependencies: ["PhraseStore", "ATCText", "CSVIO", "ParserFuzzing", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(name: "GGUFTests", dependencies: ["GGUF", "Support", "ParserFuzzing"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "LlamaTests", dependencies: ["Llama", "GGUF", "Support", "CLlamaKernels"], exclude: ["Fixtures"],
            swiftSettings: llamaSettings
        ),
        .testTarget(name: "VectorIndexTests", dependencies: ["VectorIndex", "Support", "ParserFuzzing"], swiftSettings: strict),
        .testTarget(
            name: "RetrievalTests", dependencies: ["Retrieval", "PhraseStore", "VectorIndex", "ATCText", "Llama", "GGUF"],
            swiftSettings: strict
        ),
        .testTarget(name: "CorrectorTests", dependencies: ["Corrector", "Llama", "GGUF"], swiftSettings: strict),
        // Runs the built `atcfix` binary (found beside the test bundle) and the library pieces
        // the commands share: default locations, exit codes, outputs, crash recovery.
        .testTarget(
            name: "atcfixTests", dependencies: ["Corrector", "PhraseStore", "CSVIO", "ATCText", "Support"], swiftSettings: strict
        ),
    ]
)
