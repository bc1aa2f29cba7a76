import Foundation
import Support

/// Picks the next token from logits: greedy, or temperature / top-k / top-p sampling from a
/// seeded generator (same seed, same logits → same tokens), optionally restricted by a mask.
public struct Sampler: Sendable {
    /// Sampling settings.
    public struct Settings: Sendable, Equatable {
        /// 0 means greedy (argmax).
        public var temperature: Float
        /// Keep only the k most likely tokens (0 = no limit).
        public var topK: Int
        /// Keep the smallest set of most likely tokens whose probability reaches p (1 = no limit).
        public var topP: Float
        /// Seed of the generator.
        public var seed: UInt64

        /// Settings; the defaults are greedy decoding.
        public init(temperature: Float = 0, topK: Int = 0, topP: Float = 1, seed: UInt64 = 0) {
            self.temperature = temperature
            self.topK = topK
            self.topP = topP
            self.seed = seed
        }

        /// Argmax decoding.
        public static let greedy = Settings()
    }

    /// The settings in use.
    public let settings: Settings
    private var random: SplitMix64
    private var candidates: [(token: Int32, logit: Float)] = []

    /// A sampler with `settings`.
    public init(_ settings: Settings = .greedy) {
        self.settings = settings
        random = SplitMix64(seed: settings.seed)
    }

    /// A uniform draw in [0, 1): reproducible across platforms for the same seed.
    private mutating func nextUniform() -> Float {
        random.nextUnitFloat()
    }

    /// The index of the largest logit among the allowed tokens (the lowest index on ties, as
    /// numpy's argmax), or nil if the mask allows nothing.
    public static func argmax(_ logits: UnsafeBufferPointer<Float>, mask: LogitMask? = nil) -> Int32? {
        var best = -1
        var bestValue = -Float.infinity
        for i in 0..<logits.count where logits[i] > bestValue || best < 0 {
            if let mask, !mask.allows(i) { continue }
            best = i
            bestValue = logits[i]
        }
        return best < 0 ? nil : Int32(best)
    }

    /// The next token, or nil when the mask allows none.
    public mutating func sample(_ logits: UnsafeBufferPointer<Float>, mask: LogitMask? = nil) -> Int32? {
        if settings.temperature <= 0 { return Self.argmax(logits, mask: mask) }
        candidates.removeAll(keepingCapacity: true)
        for i in 0..<logits.count where mask?.allows(i) ?? true {
            candidates.append((Int32(i), logits[i]))
        }
        guard !candidates.isEmpty else { return nil }
        candidates.sort { $0.logit > $1.logit || ($0.logit == $1.logit && $0.token < $1.token) }
        if settings.topK > 0 && candidates.count > settings.topK {
            candidates.removeLast(candidates.count - settings.topK)
        }
        let top = candidates[0].logit
        var weights = candidates.map { exp(($0.logit - top) / settings.temperature) }
        let total = weights.reduce(0, +)
        for i in weights.indices { weights[i] /= total }
        var keep = weights.count
        if settings.topP < 1 {
            var cumulative: Float = 0
            for (i, w) in weights.enumerated() {
                cumulative += w
                if cumulative >= settings.topP { keep = i + 1; break }
            }
        }
        let kept = weights[0..<keep].reduce(0, +)
        var r = nextUniform() * kept
        for i in 0..<keep {
            r -= weights[i]
            if r <= 0 { return candidates[i].token }
        }
        return candidates[keep - 1].token
    }
}
