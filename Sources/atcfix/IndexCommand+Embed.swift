import ATCText
import ArgumentParser
import CSVIO
import Foundation
import Retrieval

/// `atcfix index embed`: raw (untransformed) phrase embeddings of text lines, for measuring
/// embedding transforms outside the index (scripts/tuning/retrieval_transforms.py).
struct IndexEmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed text lines (canonicalised as queries are) into a raw float32 matrix.",
        discussion: CommandHelp.discussion(
            """
            Reads one text per line from --in, canonicalises it with ATCText as retrieve does, \
            embeds it with the --layer/--pooling settings (no centring or whitening) and writes the \
            L2-normalised vectors as little-endian float32 rows to --out, atomically (an empty line \
            gives a zero row, so rows stay aligned with the input lines).
            """,
            examples: [
                "atcfix index embed --in phrases.txt --out phrases.f32",
                "atcfix index embed --in phrases.txt --out phrases.f32 --layer 20 --one-per-pass",
            ])
    )

    @Option(name: .customLong("in"), help: "Text file, one text per line.")
    var input: String

    @Option(name: .customLong("out"), help: "Output file (rows × dimension float32).")
    var output: String

    @Flag(help: "Embed one phrase per forward pass (the query path) instead of packing many.")
    var onePerPass = false

    @Option(help: "Tokens per packed forward pass (16...65536).")
    var pack = PhraseEmbedder.packCapacity

    func validate() throws {
        try OptionCheck.range("--pack", pack, 16...65_536)
        do { _ = try OutputTarget.check(output, inputs: [input]) } catch { throw ValidationError(error.description) }
        try embedding.checkModel()
    }

    @OptionGroup var embedding: EmbeddingOptions

    func run() throws {
        guard let text = String(validating: try FileFailure.contents(of: input), as: UTF8.self) else {
            throw BadInput("\(input): not valid UTF-8 text; re-encode it as UTF-8 (e.g. iconv -f latin1 -t utf-8)")
        }
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        let embedder = try PhraseEmbedder(modelPath: embedding.model, settings: embedding.settings(), threads: embedding.threads,
                                          packCapacity: pack)
        var bytes = Data()
        bytes.reserveCapacity(lines.count * embedder.dimension * 4)
        let bar = ProgressBar()
        let start = Date()
        let canonicals = lines.map { ATCNormalizer.canonicalTokens($0).joined(separator: " ") }
        let chunkSize = 256
        var first = 0
        while first < canonicals.count {
            let chunk = Array(canonicals[first..<min(canonicals.count, first + chunkSize)])
            let texts = chunk.filter { !$0.isEmpty }
            var vectors = try (onePerPass ? texts.map { try embedder.embed(canonical: $0) } : embedder.embed(canonicals: texts))
                .makeIterator()
            for canonical in chunk {
                let vector = canonical.isEmpty ? [Float](repeating: 0, count: embedder.dimension) : vectors.next()!
                vector.withUnsafeBytes { bytes.append(contentsOf: $0) }
            }
            first += chunk.count
            bar.update(phase: "embedding", done: first, total: canonicals.count)
        }
        try FileFailure.write(bytes, to: output)
        print(String(format: "%d rows × %d to %@ in %.1f s", lines.count, embedder.dimension, output, Date().timeIntervalSince(start)))
    }
}
