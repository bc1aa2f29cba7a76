import Foundation
import PhraseStore
import Testing
@testable import Retrieval

/// The index's record of its own embedding: the settings spelled as identity text (and parsed
/// back, for indexes built before the structured record), the JSON record, and the sampled
/// model fingerprint.
@Suite struct IndexDescriptionTests {
    /// The identity text that indexes built before the structured record carry.
    static let legacyIdentity = "sha256:" + String(repeating: "ab", count: 32)
        + " layer:block5 pooling:mean centre:yes whiten:1.0 input:canonical querymap:0.01"

    @Test func legacyIdentityParsesToTheStandardSettings() throws {
        let description = try #require(IndexDescription(identity: Self.legacyIdentity))
        #expect(description.settings == .standard)
        #expect(description.model.sha256 == String(repeating: "ab", count: 32))
        #expect(description.model.sampledDigest == nil && description.model.size == nil)
        #expect(description.identity == Self.legacyIdentity)
    }

    @Test func otherLegacySettingsParse() throws {
        let text = "sha256:00ff layer:final pooling:last centre:no whiten:no input:canonical"
        let description = try #require(IndexDescription(identity: text))
        #expect(description.settings == EmbeddingSettings(layer: nil, pooling: .last, centre: false, whiten: false))
        #expect(description.settings.queryMapRidge == nil)
        let whitened = try #require(IndexDescription(identity: "sha256:00ff layer:block3 pooling:mean centre:yes whiten:0.1 input:canonical"))
        #expect(whitened.settings == EmbeddingSettings(layer: 3, pooling: .mean, centre: true, whiten: true, shrinkage: 0.1))
    }

    @Test func malformedIdentitiesAreRefused() {
        for text in [
            "layer:block5 pooling:mean centre:yes whiten:1.0 input:canonical",   // no model
            "sha256:ab layer:blockx pooling:mean centre:yes whiten:1.0 input:canonical",
            "sha256:ab layer:block5 pooling:max centre:yes whiten:1.0 input:canonical",
            "sha256:ab layer:block5 pooling:mean centre:maybe whiten:1.0 input:canonical",
            "sha256:ab layer:block5 pooling:mean centre:yes whiten:-1 input:canonical",
            "sha256:ab layer:block5 pooling:mean centre:yes whiten:1.0 input:raw",
            "sha256:ab layer:block5 pooling:mean centre:yes whiten:1.0 input:canonical querymap:zero",
            "",
        ] {
            #expect(IndexDescription(identity: text) == nil, "\(text)")
        }
    }

    @Test func settingsSpellThemselvesAsTheyParse() throws {
        for settings in [
            EmbeddingSettings.standard,
            EmbeddingSettings(layer: nil, pooling: .last, centre: false),
            EmbeddingSettings(layer: 0, pooling: .mean, centre: true, whiten: true, shrinkage: 0.25, queryMapRidge: 0.5),
        ] {
            #expect(EmbeddingSettings(identityText: settings.identityText) == settings)
        }
        #expect(EmbeddingSettings.standard.identityText
            == "layer:block5 pooling:mean centre:yes whiten:1.0 input:canonical querymap:0.01")
    }

    @Test func jsonRecordRoundTrips() throws {
        let model = ModelFingerprint(size: 98_000_000, sampledDigest: String(repeating: "c", count: 64),
                                     sha256: String(repeating: "d", count: 64))
        let settings = EmbeddingSettings(layer: 3, pooling: .mean, centre: true, whiten: true, shrinkage: 0.1,
                                         queryMapRidge: 0.01)
        let description = IndexDescription(settings: settings, model: model)
        #expect(description.identity == "fingerprint:\(String(repeating: "c", count: 64)) " + settings.identityText)
        let decoded = try IndexDescription.decode(description.encoded(), path: "x")
        #expect(decoded == description)
        let json = String(decoding: description.encoded(), as: UTF8.self)
        #expect(json.contains("\"model_sha256\":\"dddd") && json.contains("\"query_map_ridge\":0.01"))
        #expect(throws: RetrievalError.self) { _ = try IndexDescription.decode(Array("{}".utf8), path: "x") }
    }

    /// A 12 MB file of pseudo-random bytes: larger than head + samples + tail, so some bytes
    /// lie between the sampled regions.
    static func modelLikeFile(size: Int = 12 << 20) throws -> (URL, [UInt8]) {
        var state: UInt64 = 0x1234_5678_9ABC_DEF1
        var bytes = [UInt8](repeating: 0, count: size)
        for index in bytes.indices {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes[index] = UInt8(truncatingIfNeeded: state >> 56)
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("atcfix-fingerprint-\(UUID().uuidString).gguf")
        try Data(bytes).write(to: url)
        return (url, bytes)
    }

    @Test func sampledFingerprintCatchesChangesInSampledRegionsAndSize() throws {
        let (url, bytes) = try Self.modelLikeFile()
        defer { try? FileManager.default.removeItem(at: url) }
        let original = try ModelFingerprint.of(fileAt: url.path, fullHash: true)
        #expect(original.size == Int64(bytes.count))
        #expect(original.sha256 == ContentHash.hex(of: bytes))
        #expect(try original.matches(ModelFingerprint.of(fileAt: url.path), path: url.path))

        let middle = bytes.count - ModelFingerprint.headBytes - ModelFingerprint.tailBytes
        let sampledOffsets = [
            10,                                                     // header / metadata
            ModelFingerprint.headBytes - 1,                         // last head byte
            ModelFingerprint.headBytes + 7 * middle / ModelFingerprint.sampleCount + 5,   // inside sample 7
            bytes.count - 1,                                        // last byte (tail)
        ]
        for offset in sampledOffsets {
            var changed = bytes
            changed[offset] ^= 0x01
            try Data(changed).write(to: url)
            #expect(try !original.matches(ModelFingerprint.of(fileAt: url.path), path: url.path), "offset \(offset)")
        }
        // One byte more or less: another size.
        try Data(bytes + [0]).write(to: url)
        #expect(try !original.matches(ModelFingerprint.of(fileAt: url.path), path: url.path))
        try Data(bytes.dropLast()).write(to: url)
        #expect(try !original.matches(ModelFingerprint.of(fileAt: url.path), path: url.path))
        // Documented blind spot: a same-size change between sampled blocks is not seen (the
        // whole-file SHA-256 recorded at build time still tells them apart).
        var between = bytes
        let gap = ModelFingerprint.headBytes + ModelFingerprint.sampleBytes + 1_000
        #expect(gap < ModelFingerprint.headBytes + middle / ModelFingerprint.sampleCount)
        between[gap] ^= 0x01
        try Data(between).write(to: url)
        let unsampled = try ModelFingerprint.of(fileAt: url.path, fullHash: true)
        #expect(unsampled.sampledDigest == original.sampledDigest && unsampled.sha256 != original.sha256)
    }

    @Test func legacyFingerprintIsCheckedByTheWholeFileHash() throws {
        let (url, bytes) = try Self.modelLikeFile(size: 100_000)
        defer { try? FileManager.default.removeItem(at: url) }
        let legacy = ModelFingerprint(size: nil, sampledDigest: nil, sha256: ContentHash.hex(of: bytes))
        #expect(try legacy.matches(ModelFingerprint.of(fileAt: url.path), path: url.path))
        let other = ModelFingerprint(size: nil, sampledDigest: nil, sha256: ContentHash.hex(of: bytes.dropLast()))
        #expect(try !other.matches(ModelFingerprint.of(fileAt: url.path), path: url.path))
    }

    @Test func smallFilesAreHashedWhole() throws {
        // Head, samples and tail overlap in a file smaller than the head: every byte counts.
        let (url, bytes) = try Self.modelLikeFile(size: 5_000)
        defer { try? FileManager.default.removeItem(at: url) }
        let original = try ModelFingerprint.of(fileAt: url.path)
        for offset in [0, 2_500, 4_999] {
            var changed = bytes
            changed[offset] ^= 0x80
            try Data(changed).write(to: url)
            #expect(try ModelFingerprint.of(fileAt: url.path).sampledDigest != original.sampledDigest)
        }
    }

    /// On the real model: the whole-file SHA-256 agrees with coreutils' `sha256sum`, and the
    /// sampled fingerprint is stable; both durations are printed for docs/BENCHMARKS.md.
    @Test(.enabled(if: RetrievalTestSupport.hasModel, "needs models/SmolLM2-135M-Instruct.Q4_1.gguf (run the setup)"))
    func realModelFingerprint() throws {
        let path = RetrievalTestSupport.modelPath
        let clock = ContinuousClock()
        var sampled: ModelFingerprint?
        let sampledTime = clock.measure { sampled = try? ModelFingerprint.of(fileAt: path) }
        var whole: ModelFingerprint?
        let wholeTime = clock.measure { whole = try? ModelFingerprint.of(fileAt: path, fullHash: true) }
        print("IndexDescriptionTests: model fingerprint \(sampledTime) sampled, \(wholeTime) with the whole-file SHA-256")
        #expect(sampled?.sampledDigest != nil && sampled?.sampledDigest == whole?.sampledDigest)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let output = Pipe()
        process.standardOutput = output
        guard (try? process.run()) != nil else { return }   // no coreutils here: nothing to compare with
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(text.split(separator: " ").first.map(String.init) == whole?.sha256)
    }
}
