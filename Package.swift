// swift-tools-version: 6.1
import PackageDescription

// The module graph (see docs/ARCHITECTURE.md):
//   ATCText, CSVIO            text normal form, WER, strict CSV
//   PhraseStore  → ATCText, CSVIO, GRDB       SQLite phraseology
//   GGUF                                      model files, tokenizers
//   Llama        → GGUF, CBLAS                inference on CPU
//   VectorIndex                               HNSW
//   Retrieval    → PhraseStore, VectorIndex, Llama, ATCText
//   Corrector    → Retrieval, Llama, ATCText  the engine
//   atcfix       → everything + ArgumentParser (thin CLI)
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .target(name: "ATCText", swiftSettings: strict),
        .target(name: "CSVIO", swiftSettings: strict),
        .target(
            name: "PhraseStore",
            dependencies: ["ATCText", "CSVIO", .product(name: "GRDB", package: "GRDB.swift")],
            // -O in debug too: ContentHash also fingerprints 100 MB model files for indexes.
            swiftSettings: strict + [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        .target(name: "GGUF", swiftSettings: strict),
        .target(name: "Llama", dependencies: ["GGUF", "CBLAS", "CLlamaKernels"], swiftSettings: llamaSettings),
        // K-quant integer dot products with run-time CPU dispatch (see its header for why C).
        .target(name: "CLlamaKernels", cSettings: [.unsafeFlags(["-O3"])]),
        // SIMD distance kernels with run-time CPU dispatch and prefetch (see its header for why C).
        .target(name: "CVectorKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "VectorIndex", dependencies: ["CVectorKernels"], swiftSettings: strict),
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
        .testTarget(name: "ATCTextTests", dependencies: ["ATCText", "CSVIO"], swiftSettings: strict),
        .testTarget(name: "CSVIOTests", dependencies: ["CSVIO"], swiftSettings: strict),
        .testTarget(
            name: "PhraseStoreTests",
            dependencies: ["PhraseStore", "ATCText", "CSVIO", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(name: "GGUFTests", dependencies: ["GGUF"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "LlamaTests", dependencies: ["Llama", "GGUF", "CLlamaKernels"], exclude: ["Fixtures"],
            swiftSettings: llamaSettings
        ),
        .testTarget(name: "VectorIndexTests", dependencies: ["VectorIndex"], swiftSettings: strict),
        .testTarget(
            name: "RetrievalTests", dependencies: ["Retrieval", "PhraseStore", "VectorIndex", "ATCText", "Llama", "GGUF"],
            swiftSettings: strict
        ),
        .testTarget(name: "CorrectorTests", dependencies: ["Corrector", "Llama", "GGUF"], swiftSettings: strict),
        // Runs the built `atcfix` binary (found beside the test bundle) and the library pieces
        // the commands share: default locations, exit codes, outputs, crash recovery.
        .testTarget(
            name: "atcfixTests", dependencies: ["Corrector", "PhraseStore", "CSVIO", "ATCText"], swiftSettings: strict
        ),
    ]
)
