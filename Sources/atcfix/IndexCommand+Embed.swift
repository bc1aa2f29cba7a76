import ATCText
import ArgumentParser
import Foundation
import Retrieval

/// `atcfix index embed`: raw (untransformed) phrase embeddings of text lines, for measuring
/// embedding transforms outside the index (scripts/tuning/retrieval_transforms.py).
struct IndexEmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed text lines (canonicalised as queries are) into a raw float32 matrix.",
        discussion: """
            Reads one text per line from --input, canonicalises it with ATCText as retrieve does, \
            embeds it with the --layer/--pooling settings (no centring or whitening) and writes the \
            L2-normalised vectors as little-endian float32 rows to --output (an empty line gives a \
            zero row, so rows stay aligned with the input lines).
            """
    )

    @Option(help: "Text file, one text per line.")
    var input: String

    @Option(help: "Output file (rows × dimension float32).")
    var output: String

    @Flag(help: "Embed one phrase per forward pass (the query path) instead of packing many.")
    var onePerPass = false

    @Option(help: "Tokens per packed forward pass.")
    var pack = PhraseEmbedder.packCapacity

    @OptionGroup var embedding: EmbeddingOptions

    func run() throws {
        let text: String
        do {
            text = try String(contentsOfFile: input, encoding: .utf8)
        } catch {
            throw ValidationError("\(input): cannot read it as UTF-8 text (\(error.localizedDescription))")
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
        try bytes.write(to: URL(fileURLWithPath: output), options: .atomic)
        print(String(format: "%d rows × %d to %@ in %.1f s", lines.count, embedder.dimension, output, Date().timeIntervalSince(start)))
    }
}
