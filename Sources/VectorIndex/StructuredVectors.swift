import Support

/// The structured test vectors: a low-intrinsic-dimension set that behaves like real
/// embeddings (uniform random vectors in high dimension have no meaningful neighbours).
///
/// A `latentDimension`-dimensional Gaussian mixture (`clusterCount` centres drawn with
/// σ = `centreSigma`, points with σ = `pointSigma` around a uniformly chosen centre) is projected
/// to `dimension` by a fixed random matrix with N(0, 1/latentDimension) entries (so projection
/// roughly preserves norms), then N(0, `noiseSigma`²) noise is added in every dimension and the
/// result is L2-normalised. Centres and projection depend only on `seed`; base and query sets
/// are different streams of the same distribution.
public struct StructuredVectors: Sendable {
    /// Output dimension.
    public let dimension: Int
    /// Dimension of the mixture before projection.
    public let latentDimension: Int
    /// Standard deviation of the per-dimension noise added after projection.
    public let noiseSigma: Double
    /// Standard deviation of points around their centre (latent space).
    public let pointSigma: Double
    private let centres: [Double]      // clusterCount × latentDimension
    private let projection: [Double]   // latentDimension × dimension
    private let clusterCount: Int
    private let seed: UInt64

    /// Draws the mixture centres and the projection for `seed`.
    public init(
        dimension: Int, seed: UInt64 = 42, latentDimension: Int = 24, clusterCount: Int = 200,
        centreSigma: Double = 2, pointSigma: Double = 1, noiseSigma: Double = 0.3
    ) {
        precondition(dimension > 0 && latentDimension > 0 && clusterCount > 0)
        self.dimension = dimension
        self.latentDimension = latentDimension
        self.clusterCount = clusterCount
        self.noiseSigma = noiseSigma
        self.pointSigma = pointSigma
        self.seed = seed
        var rng = SplitMix64(seed: SplitMix64.mix(seed ^ 0xC3A5_C85C_97CB_3127))
        centres = (0..<(clusterCount * latentDimension)).map { _ in rng.nextGaussian() * centreSigma }
        let scale = 1 / Double(latentDimension).squareRoot()
        projection = (0..<(latentDimension * dimension)).map { _ in rng.nextGaussian() * scale }
    }

    /// `count` vectors, row-major (`count × dimension` floats). Different `stream`s give
    /// independent samples (use 0 for the base set and 1 for queries).
    public func sample(count: Int, stream: UInt64) -> [Float] {
        var rng = SplitMix64(seed: SplitMix64.mix(seed &+ 0x9E37_79B9 &* (stream &+ 1)))
        var out = [Float](repeating: 0, count: count * dimension)
        var latent = [Double](repeating: 0, count: latentDimension)
        var row = [Double](repeating: 0, count: dimension)
        for i in 0..<count {
            let c = Int(rng.next() % UInt64(clusterCount))
            for j in 0..<latentDimension {
                latent[j] = centres[c * latentDimension + j] + rng.nextGaussian() * pointSigma
            }
            for k in 0..<dimension { row[k] = rng.nextGaussian() * noiseSigma }
            for j in 0..<latentDimension {
                let lj = latent[j]
                let base = j * dimension
                for k in 0..<dimension { row[k] += lj * projection[base + k] }
            }
            var norm = 0.0
            for k in 0..<dimension { norm += row[k] * row[k] }
            let inv = norm > 0 ? 1 / norm.squareRoot() : 0
            for k in 0..<dimension { out[i * dimension + k] = Float(row[k] * inv) }
        }
        return out
    }
}
