/// Reciprocal-rank fusion (Cormack, Clarke & Büttcher, 2009): each list contributes
/// 1 / (k + rank) to an item's score. Chosen over a learnt weight because dense cosines and BM25
/// scores live on unrelated scales, and ranks need no calibration per index.
public enum ReciprocalRankFusion {
    /// The constant of the original paper.
    public static let defaultK = 60.0

    /// Fused scores of the items in `lists` (each best first; rank 1 is the head), list `i`
    /// weighted by `weights[i]` (default 1), best first; ties keep the order of first appearance.
    public static func fuse<Key: Hashable>(_ lists: [[Key]], weights: [Double] = [], k: Double = defaultK)
        -> [(key: Key, score: Double)]
    {
        var scores: [Key: Double] = [:]
        var order: [Key] = []
        for (listIndex, list) in lists.enumerated() {
            let weight = listIndex < weights.count ? weights[listIndex] : 1
            for (index, key) in list.enumerated() {
                if scores[key] == nil { order.append(key) }
                scores[key, default: 0] += weight / (k + Double(index + 1))
            }
        }
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        return order.map { ($0, scores[$0]!) }.sorted {
            $0.score != $1.score ? $0.score > $1.score : position[$0.key]! < position[$1.key]!
        }
    }
}
