import ArgumentParser
import CSVIO
import Foundation
import VectorIndex

/// `atcfix vectors generate`: writes the structured test vectors as raw f32 files.
struct VectorsGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write seeded structured test vectors (24-d Gaussian mixture projected to --dim, noise, normalised).",
        discussion: CommandHelp.discussion(
            "Output is raw little-endian f32, row-major, written atomically. Base and query files share centres and projection (same --seed) and differ by --stream (0 base, 1 queries).",
            examples: [
                "atcfix vectors generate --count 10000 --dim 64 --out /tmp/base.f32",
                "atcfix vectors generate --count 100 --dim 64 --stream 1 --out /tmp/queries.f32",
            ]))

    @Option(help: "Number of vectors (1...10000000).") var count: Int
    @Option(help: "Dimension (1...4096).") var dim: Int
    @Option(help: "Seed of centres and projection.") var seed: UInt64 = 42
    @Option(help: "Sample stream: 0 for base vectors, 1 for queries.") var stream: UInt64 = 0
    @Option(help: "Output file.") var out: String

    func validate() throws {
        try OptionCheck.range("--count", count, 1...10_000_000)
        try OptionCheck.range("--dim", dim, 1...4_096)
        if count * dim > 1 << 30 {
            throw ValidationError("--count × --dim must be at most \(1 << 30) floats (got \(count * dim)); write fewer or smaller vectors")
        }
        do { _ = try OutputTarget.check(out, inputs: []) } catch { throw ValidationError(error.description) }
    }

    func run() throws {
        let vectors = StructuredVectors(dimension: dim, seed: seed).sample(count: count, stream: stream)
        try RawVectorFile.write(vectors, to: out)
        print("wrote \(count) × \(dim) f32 to \(out)")
    }
}

/// Raw little-endian f32 row-major vector files, the exchange format with the peer benchmarks.
enum RawVectorFile {
    /// Reads `path` as rows of `dimension` floats; the size must be a multiple of a row.
    static func read(_ path: String, dimension: Int) throws -> [Float] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw FileFailure(path: path, isWrite: false)
        }
        let rowBytes = dimension * 4
        guard data.count > 0, data.count % rowBytes == 0 else {
            throw RawVectorFileError(message: "\(path): \(data.count) bytes is not a whole number of \(dimension)-dim f32 rows (\(rowBytes) bytes each); check --dim")
        }
        var out = [Float](repeating: 0, count: data.count / 4)
        out.withUnsafeMutableBytes { dst in data.withUnsafeBytes { src in dst.copyMemory(from: src) } }
        #if _endian(big)
        out = out.map { Float(bitPattern: $0.bitPattern.byteSwapped) }
        #endif
        return out
    }

    /// Writes `vectors` atomically.
    static func write(_ vectors: [Float], to path: String) throws {
        var data = Data(count: vectors.count * 4)
        data.withUnsafeMutableBytes { dst in
            vectors.withUnsafeBytes { src in dst.copyMemory(from: src) }
        }
        try FileFailure.write(data, to: path)
    }
}

/// A raw vector file that cannot be used; the message names the file and the fix.
struct RawVectorFileError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
