/// The weights of one transformer block, pointing into the mapped file (norms and biases,
/// which are tiny, are copied to f32).
public struct LayerWeights: Sendable {
    /// RMSNorm gain before attention.
    public let attentionNorm: [Float]
    /// Query projection (`headCount·headWidth` rows).
    public let query: PackedMatrix
    /// Key projection (`kvWidth` rows).
    public let key: PackedMatrix
    /// Value projection (`kvWidth` rows).
    public let value: PackedMatrix
    /// Attention output projection.
    public let output: PackedMatrix
    /// qwen2's query bias.
    public let queryBias: [Float]?
    /// qwen2's key bias.
    public let keyBias: [Float]?
    /// qwen2's value bias.
    public let valueBias: [Float]?
    /// RMSNorm gain before the feed-forward network.
    public let feedForwardNorm: [Float]
    /// SwiGLU gate projection.
    public let gate: PackedMatrix
    /// SwiGLU up projection.
    public let up: PackedMatrix
    /// SwiGLU down projection.
    public let down: PackedMatrix
}
