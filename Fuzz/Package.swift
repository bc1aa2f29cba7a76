// swift-tools-version: 6.1
import PackageDescription

// libFuzzer harnesses for atcfix's parsers, kept out of the main package so that its build
// and `swift test` never see `LLVMFuzzerTestOneInput`. Build and run them with
// scripts/reliability/fuzz.sh, which passes `--sanitize=fuzzer --sanitize=address`
// (the executables have no `main`: libFuzzer's runtime provides it).
let settings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "atcfix-fuzz",
    dependencies: [.package(name: "atcfix", path: "..")],
    targets: [
        .target(name: "FuzzDriver", dependencies: [.product(name: "ParserFuzzing", package: "atcfix")], swiftSettings: settings),
        .executableTarget(name: "fuzz-gguf", dependencies: ["FuzzDriver", .product(name: "ParserFuzzing", package: "atcfix")], swiftSettings: settings),
        .executableTarget(name: "fuzz-hnsw", dependencies: ["FuzzDriver", .product(name: "ParserFuzzing", package: "atcfix")], swiftSettings: settings),
        .executableTarget(name: "fuzz-csv", dependencies: ["FuzzDriver", .product(name: "ParserFuzzing", package: "atcfix")], swiftSettings: settings),
        .executableTarget(
            name: "fuzz-corpus-import", dependencies: ["FuzzDriver", .product(name: "ParserFuzzing", package: "atcfix")],
            swiftSettings: settings),
    ]
)
