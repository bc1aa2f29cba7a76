import GGUF

/// How a model family rotates query/key pairs.
public enum RopeStyle: Sendable, Equatable {
    /// Adjacent pairs (2i, 2i+1): llama GGUFs, whose converter permuted Q/K rows for this.
    case adjacentPairs
    /// The two halves (i, i+d/2): GPT-NeoX style, used by qwen2.
    case halves
}

/// The hyper-parameters of a llama-family model, read from GGUF metadata.
public struct ModelConfiguration: Sendable, Equatable {
    /// `general.architecture` (`llama` or `qwen2`).
    public let architecture: String
    /// Transformer blocks.
    public let layerCount: Int
    /// Width of the residual stream.
    public let embeddingWidth: Int
    /// Hidden width of the feed-forward network.
    public let feedForwardWidth: Int
    /// Query heads.
    public let headCount: Int
    /// Key/value heads (fewer than `headCount` with grouped-query attention).
    public let kvHeadCount: Int
    /// Width of one head.
    public let headWidth: Int
    /// Leading dimensions of each head that RoPE rotates.
    public let ropeDimensions: Int
    /// RoPE base frequency.
    public let ropeFrequencyBase: Float
    /// Pair layout RoPE rotates.
    public let ropeStyle: RopeStyle
    /// Epsilon inside RMSNorm.
    public let rmsEpsilon: Float
    /// Tokens in the vocabulary (rows of `token_embd`).
    public let vocabularySize: Int
    /// The context the model was trained for.
    public let trainedContextLength: Int
    /// Beginning-of-sequence token, if the file names one.
    public let bosToken: Int32?
    /// End-of-sequence token, if the file names one.
    public let eosToken: Int32?
    /// End-of-turn token, if the file names one.
    public let eotToken: Int32?
    /// Whether prompts start with BOS (`tokenizer.ggml.add_bos_token`; when absent, llama.cpp's
    /// default: yes for SentencePiece (`llama`) vocabularies, no for byte-level BPE).
    public let addsBOS: Bool

    /// Width of all key (or value) heads together.
    public var kvWidth: Int { kvHeadCount * headWidth }

    /// The families this engine runs.
    public static let supportedArchitectures = ["llama", "qwen2"]

    /// Reads the configuration of `file`; `vocabularySize` comes from the embedding tensor.
    public init(file: GGUFFile) throws(LlamaError) {
        guard let arch = file.architecture else {
            throw LlamaError(.badMetadata("general.architecture"), path: file.path,
                             detail: "no general.architecture key; is this a model GGUF?")
        }
        guard Self.supportedArchitectures.contains(arch) else {
            throw LlamaError(.unsupportedArchitecture(arch), path: file.path,
                             detail: "architecture '\(arch)' is not supported; supported: \(Self.supportedArchitectures.joined(separator: ", "))")
        }
        func required(_ suffix: String) throws(LlamaError) -> Int {
            guard let v = file.int("\(arch).\(suffix)"), v > 0 else {
                throw LlamaError(.badMetadata("\(arch).\(suffix)"), path: file.path,
                                 detail: "metadata \(arch).\(suffix) is missing or not a positive integer")
            }
            return v
        }
        architecture = arch
        layerCount = try required("block_count")
        embeddingWidth = try required("embedding_length")
        feedForwardWidth = try required("feed_forward_length")
        headCount = try required("attention.head_count")
        kvHeadCount = file.int("\(arch).attention.head_count_kv") ?? headCount
        guard embeddingWidth % headCount == 0, kvHeadCount > 0, headCount % kvHeadCount == 0 else {
            throw LlamaError(.badMetadata("\(arch).attention.head_count"), path: file.path,
                             detail: "embedding width \(embeddingWidth), \(headCount) heads and \(kvHeadCount) KV heads do not divide evenly")
        }
        headWidth = embeddingWidth / headCount
        ropeDimensions = file.int("\(arch).rope.dimension_count") ?? headWidth
        guard ropeDimensions % 2 == 0, ropeDimensions <= headWidth else {
            throw LlamaError(.badMetadata("\(arch).rope.dimension_count"), path: file.path,
                             detail: "rope.dimension_count \(ropeDimensions) must be even and at most the head width \(headWidth)")
        }
        ropeFrequencyBase = file.float("\(arch).rope.freq_base") ?? 10_000
        ropeStyle = arch == "qwen2" ? .halves : .adjacentPairs
        rmsEpsilon = file.float("\(arch).attention.layer_norm_rms_epsilon") ?? 1e-5
        guard let embd = file.tensor("token_embd.weight"), embd.dims.count == 2, embd.dims[0] == embeddingWidth else {
            throw LlamaError(.badTensor("token_embd.weight"), path: file.path,
                             detail: "token_embd.weight is missing or not [\(embeddingWidth), vocabulary]")
        }
        vocabularySize = embd.dims[1]
        trainedContextLength = file.int("\(arch).context_length") ?? 2048
        bosToken = file.int("tokenizer.ggml.bos_token_id").map { Int32($0) }
        eosToken = file.int("tokenizer.ggml.eos_token_id").map { Int32($0) }
        eotToken = file.int("tokenizer.ggml.eot_token_id").map { Int32($0) }
        addsBOS = file.bool("tokenizer.ggml.add_bos_token") ?? (file.string("tokenizer.ggml.model") == "llama")
    }
}
