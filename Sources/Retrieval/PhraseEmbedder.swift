import ATCText
import Foundation
import GGUF
import Llama

/// Embeds canonical phrases with a LLaMA model under fixed ``EmbeddingSettings``.
///
/// One session is shared behind a lock: a forward pass already uses every core through the
/// session's worker pool, so concurrent embeddings would only contend. A single query goes
/// through the session (one sequence per pass); many phrases (an index build) go through a
/// ``PackedEmbedder``, which packs several phrases into each pass with a block-diagonal mask.
/// With an early layer either pass stops after that block.
public final class PhraseEmbedder: @unchecked Sendable {
    /// The model file.
    public let modelPath: String
    /// The embedding settings.
    public let settings: EmbeddingSettings
    /// The model file's sampled fingerprint (see ``ModelFingerprint``).
    public let model: ModelFingerprint
    /// Vector width.
    public let dimension: Int

    /// Longest input kept, in tokens; ATC phrases are far shorter.
    static let maxTokens = 256

    private let tokenizer: Tokenizer
    private let session: LlamaSession
    private let packed: PackedEmbedder
    private let lock = NSLock()

    /// Tokens per packed forward pass (measured: see docs/BENCHMARKS.md, index build).
    public static let packCapacity = 256

    /// Loads the model at `path` for `settings`, on `threads` threads; batches of phrases are
    /// packed `packCapacity` tokens per forward pass.
    public init(modelPath path: String, settings: EmbeddingSettings, threads: Int = 2,
                packCapacity: Int = PhraseEmbedder.packCapacity) throws(RetrievalError) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw RetrievalError("\(path): model file not found; pass --model with a GGUF file (the setup fetches models/SmolLM2-135M-Instruct.Q4_1.gguf)")
        }
        model = try ModelFingerprint.of(fileAt: path)
        do {
            let model = try LlamaModel(path: path)
            if let layer = settings.layer, layer < 0 || layer >= model.configuration.layerCount {
                throw RetrievalError("\(path): layer \(layer) is outside 0..<\(model.configuration.layerCount) of this model")
            }
            tokenizer = try Tokenizer(file: model.file)
            session = try LlamaSession(model: model, contextLength: Self.maxTokens, threads: threads)
            packed = try PackedEmbedder(model: model, capacity: max(packCapacity, Self.maxTokens), threads: threads)
            dimension = model.configuration.embeddingWidth
        } catch let error as RetrievalError {
            throw error
        } catch {
            throw RetrievalError("\(path): cannot load the model: \(error)")
        }
        modelPath = path
        self.settings = settings
    }

    /// What an index built by this embedder records about its vectors.
    public var indexDescription: IndexDescription { IndexDescription(settings: settings, model: model) }

    /// The identity text recorded in an index built by this embedder.
    public var identity: String { indexDescription.identity }

    /// The (un-centred, L2-normalised) embedding of a canonical phrase.
    public func embed(canonical: String) throws(RetrievalError) -> [Float] {
        let tokens = try tokens(of: canonical)
        lock.lock()
        defer { lock.unlock() }
        do {
            return try session.embed(tokens, pooling: settings.pooling, layer: settings.layer)
        } catch {
            throw RetrievalError("\(modelPath): embedding '\(canonical)' failed: \(error)")
        }
    }

    /// The embeddings of many canonical phrases (in order), several per forward pass.
    public func embed(canonicals: [String]) throws(RetrievalError) -> [[Float]] {
        var sequences: [[Int32]] = []
        sequences.reserveCapacity(canonicals.count)
        for canonical in canonicals { sequences.append(try tokens(of: canonical)) }
        lock.lock()
        defer { lock.unlock() }
        do {
            return try packed.embed(sequences, pooling: settings.pooling, layer: settings.layer)
        } catch {
            throw RetrievalError("\(modelPath): embedding \(canonicals.count) phrases failed: \(error)")
        }
    }

    private func tokens(of canonical: String) throws(RetrievalError) -> [Int32] {
        var tokens = tokenizer.tokenize(canonical, addSpecial: true).map { Int32($0) }
        if tokens.count > Self.maxTokens { tokens.removeLast(tokens.count - Self.maxTokens) }
        guard !tokens.isEmpty else { throw RetrievalError("phrase '\(canonical)' tokenised to nothing") }
        return tokens
    }
}
