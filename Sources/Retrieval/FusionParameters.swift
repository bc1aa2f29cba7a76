/// How hybrid retrieval fuses its lexical and dense rankings (reciprocal-rank fusion).
public struct FusionParameters: Sendable, Equatable {
    /// Weight of the dense list relative to the lexical list (1).
    public var denseWeight: Double
    /// Weight of the ranking by stored Whisper hypotheses (noisy pairs) relative to the
    /// lexical ranking of the phrases themselves.
    public var hypothesisWeight: Double
    /// The rank constant k of 1 / (k + rank); smaller trusts the heads of the lists more.
    public var rankConstant: Double

    /// The parameters chosen on the ATCOSIM-train pool (docs/BENCHMARKS.md).
    /// (k = 10 over 60: hybrid recall@5 0.935 vs 0.925 on ATCOSIM test; weights 0.5–1 made no
    /// difference beyond one or two rows of 321.)
    public static let standard = FusionParameters(denseWeight: 1, hypothesisWeight: 1, rankConstant: 10)

    /// Parameters.
    public init(denseWeight: Double, hypothesisWeight: Double, rankConstant: Double) {
        self.denseWeight = denseWeight
        self.hypothesisWeight = hypothesisWeight
        self.rankConstant = rankConstant
    }
}
