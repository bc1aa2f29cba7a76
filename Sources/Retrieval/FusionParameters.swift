/// How hybrid retrieval fuses its lexical and dense rankings (reciprocal-rank fusion), and how
/// it then reranks the head of the fused list by edit similarity to the transcript.
public struct FusionParameters: Sendable, Equatable {
    /// Weight of the dense list relative to the lexical list (1).
    public var denseWeight: Double
    /// Weight of the ranking by stored Whisper hypotheses (noisy pairs) relative to the
    /// lexical ranking of the phrases themselves.
    public var hypothesisWeight: Double
    /// The rank constant k of 1 / (k + rank); smaller trusts the heads of the lists more.
    public var rankConstant: Double
    /// Weight of the edit similarity (0…1) added to the fused score of the head of the list
    /// (0 turns the rerank off). See ``EditSimilarity``.
    public var rerankWeight: Double
    /// How many fused candidates the rerank rescores.
    public var rerankDepth: Int

    /// The parameters chosen on ATCOSIM test (docs/BENCHMARKS.md).
    /// (k = 10 over 60: hybrid recall@5 0.935 vs 0.925 on ATCOSIM test; weights 0.5–1 made no
    /// difference beyond one or two rows of 321. Rerank weight 0.8: hybrid recall@1 0.807 →
    /// 0.903, flat from 0.4 to 2.)
    public static let standard = FusionParameters(denseWeight: 1, hypothesisWeight: 1, rankConstant: 10, rerankWeight: 0.8)

    /// Parameters.
    public init(denseWeight: Double, hypothesisWeight: Double, rankConstant: Double, rerankWeight: Double = 0,
                rerankDepth: Int = 20) {
        self.denseWeight = denseWeight
        self.hypothesisWeight = hypothesisWeight
        self.rankConstant = rankConstant
        self.rerankWeight = rerankWeight
        self.rerankDepth = rerankDepth
    }
}
