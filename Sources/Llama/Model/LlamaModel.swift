import GGUF

/// A loaded llama-family model: configuration plus weights read in place from the memory-mapped
/// GGUF file. Immutable and `Sendable`: any number of `LlamaSession`s share one instance.
public final class LlamaModel: Sendable {
    /// The file the weights live in (kept open: the matrices point into its mapping).
    public let file: GGUFFile
    /// Hyper-parameters.
    public let configuration: ModelConfiguration
    /// Token embedding table (`vocabularySize` rows of `embeddingWidth`).
    public let tokenEmbedding: PackedMatrix
    /// Transformer blocks.
    public let layers: [LayerWeights]
    /// Final RMSNorm gain.
    public let outputNorm: [Float]
    /// Output head; the token embedding itself when the file has no `output.weight` (tied).
    public let outputHead: PackedMatrix
    /// Owner of the row-interleaved Q4_K copies the layers' matrices point to (nil when off).
    let interleavedWeights: InterleavedWeights?

    /// Opens and maps `path`. `interleave` forces the row-interleaved K-quant copies on or off
    /// (nil: on where the CPU has their fast kernel, unless `ATCFIX_INTERLEAVE=0`).
    public convenience init(path: String, interleave: Bool? = nil) throws(LlamaError) {
        let file: GGUFFile
        do {
            file = try GGUFFile(path: path)
        } catch {
            throw LlamaError(.file, path: path, detail: error.description)
        }
        try self.init(file: file, interleave: interleave)
    }

    /// Binds the weights of an opened file, checking every tensor's type and shape;
    /// `interleave` as for `init(path:interleave:)`.
    public init(file: GGUFFile, interleave: Bool? = nil) throws(LlamaError) {
        let config = try ModelConfiguration(file: file)
        self.file = file
        configuration = config
        let d = config.embeddingWidth
        tokenEmbedding = try Self.matrix(file, "token_embd.weight", rows: config.vocabularySize, columns: d)
        outputNorm = try Self.vector(file, "output_norm.weight", count: d)
        if file.tensor("output.weight") != nil {
            outputHead = try Self.matrix(file, "output.weight", rows: config.vocabularySize, columns: d)
        } else {
            outputHead = tokenEmbedding
        }
        var layers: [LayerWeights] = []
        for i in 0..<config.layerCount {
            let p = "blk.\(i)."
            let qwen = config.architecture == "qwen2"
            layers.append(LayerWeights(
                attentionNorm: try Self.vector(file, p + "attn_norm.weight", count: d),
                query: try Self.matrix(file, p + "attn_q.weight", rows: config.headCount * config.headWidth, columns: d),
                key: try Self.matrix(file, p + "attn_k.weight", rows: config.kvWidth, columns: d),
                value: try Self.matrix(file, p + "attn_v.weight", rows: config.kvWidth, columns: d),
                output: try Self.matrix(file, p + "attn_output.weight", rows: d, columns: config.headCount * config.headWidth),
                queryBias: qwen ? try Self.vector(file, p + "attn_q.bias", count: config.headCount * config.headWidth) : try Self.optionalVector(file, p + "attn_q.bias"),
                keyBias: qwen ? try Self.vector(file, p + "attn_k.bias", count: config.kvWidth) : try Self.optionalVector(file, p + "attn_k.bias"),
                valueBias: qwen ? try Self.vector(file, p + "attn_v.bias", count: config.kvWidth) : try Self.optionalVector(file, p + "attn_v.bias"),
                feedForwardNorm: try Self.vector(file, p + "ffn_norm.weight", count: d),
                gate: try Self.matrix(file, p + "ffn_gate.weight", rows: config.feedForwardWidth, columns: d),
                up: try Self.matrix(file, p + "ffn_up.weight", rows: config.feedForwardWidth, columns: d),
                down: try Self.matrix(file, p + "ffn_down.weight", rows: d, columns: config.feedForwardWidth)))
        }
        // The block matrices only: the token embedding (row lookups) and the head keep the file's rows.
        if interleave ?? InterleavedWeights.enabled {
            let owner = InterleavedWeights()
            layers = layers.map { w in
                LayerWeights(attentionNorm: w.attentionNorm, query: owner.attach(w.query), key: owner.attach(w.key),
                             value: owner.attach(w.value), output: owner.attach(w.output), queryBias: w.queryBias,
                             keyBias: w.keyBias, valueBias: w.valueBias, feedForwardNorm: w.feedForwardNorm,
                             gate: owner.attach(w.gate), up: owner.attach(w.up), down: owner.attach(w.down))
            }
            interleavedWeights = owner
        } else {
            interleavedWeights = nil
        }
        self.layers = layers
    }

    private static func info(_ file: GGUFFile, _ name: String) throws(LlamaError) -> GGUFTensorInfo {
        guard let info = file.tensor(name) else {
            throw LlamaError(.badTensor(name), path: file.path, detail: "tensor \(name) is missing; the file does not match its declared architecture")
        }
        return info
    }

    private static func matrix(_ file: GGUFFile, _ name: String, rows: Int, columns: Int) throws(LlamaError) -> PackedMatrix {
        let info = try info(file, name)
        guard info.dims.count == 2, info.dims[0] == columns, info.dims[1] == rows else {
            throw LlamaError(.badTensor(name), path: file.path,
                             detail: "tensor \(name) has dims \(info.dims); expected [\(columns), \(rows)]")
        }
        guard let format = WeightFormat(rawValue: info.type.rawValue) else {
            throw LlamaError(.unsupportedTensorType(tensor: name, type: info.type.name), path: file.path,
                             detail: "tensor \(name) is \(info.type.name); supported: \(WeightFormat.allCases.map { "\($0)" }.joined(separator: ", ")) — requantise the model (e.g. Q4_K_M or Q8_0)")
        }
        guard columns % format.blockValues == 0 else {
            throw LlamaError(.badTensor(name), path: file.path, detail: "tensor \(name): row width \(columns) is not a multiple of \(format)'s block of \(format.blockValues)")
        }
        let data = file.tensorData(info)
        return PackedMatrix(base: data.baseAddress!, format: format, rows: rows, columns: columns)
    }

    private static func vector(_ file: GGUFFile, _ name: String, count: Int) throws(LlamaError) -> [Float] {
        let info = try info(file, name)
        guard info.elementCount == count else {
            throw LlamaError(.badTensor(name), path: file.path, detail: "tensor \(name) has \(info.elementCount) values; expected \(count)")
        }
        guard let format = WeightFormat(rawValue: info.type.rawValue), format.blockValues == 1 || count % format.blockValues == 0 else {
            throw LlamaError(.unsupportedTensorType(tensor: name, type: info.type.name), path: file.path,
                             detail: "tensor \(name) is \(info.type.name); norm and bias vectors must be f32, f16 or a supported block type")
        }
        var out = [Float](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer {
            ReferenceKernels.dequantise(file.tensorData(info).baseAddress!, format: format, count: count, into: $0.baseAddress!)
        }
        return out
    }

    private static func optionalVector(_ file: GGUFFile, _ name: String) throws(LlamaError) -> [Float]? {
        guard let info = file.tensor(name) else { return nil }
        return try vector(file, name, count: info.elementCount)
    }
}
