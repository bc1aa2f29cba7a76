import ATCText

extension NoisyChannelDecoder {
    /// The `count` best distinct rewrites of `heard`, best first, always including the
    /// transcript as heard (so a later judge can keep it).
    ///
    /// The plain search keeps one hypothesis per trigram state, so its other survivors differ
    /// only in their last two words. Here every state keeps `perState` hypotheses, which lets
    /// alternatives early in the utterance reach the end; the first candidate is the plain
    /// search's best.
    public func candidates(for heard: [String], count: Int, perState: Int = 3) -> [Candidate] {
        guard !heard.isEmpty, count > 0 else { return heard.isEmpty ? [Candidate(words: [], score: 0)] : [] }
        let keep = max(1, perState)
        var lattice = [[PriorState: [Candidate]]](repeating: [:], count: heard.count + 1)
        lattice[0][priorStart] = [Candidate(words: [], score: 0)]
        for position in 0..<heard.count {
            let survivors = lattice[position]
                .flatMap { state, list in list.map { (state, $0) } }
                .sorted { $0.1.score > $1.1.score }
                .prefix(weights.beamWidth * keep)
            if survivors.isEmpty { continue }
            let options = steps(at: position, of: heard)
            for (state, hypothesis) in survivors {
                for step in options {
                    let (lm, next) = prior(of: step.emitted, after: state)
                    let extended = Candidate(words: hypothesis.words + step.emitted,
                                             score: hypothesis.score + step.channelScore + weights.languageModel * lm)
                    Self.insert(extended, into: &lattice[position + step.consumed][next, default: []], keeping: keep)
                }
            }
        }
        var finished: [[String]: Double] = [:]
        for (state, list) in lattice[heard.count] {
            for hypothesis in list {
                let total = hypothesis.score + weights.languageModel * endPrior(after: state)
                if total > finished[hypothesis.words] ?? -.infinity { finished[hypothesis.words] = total }
            }
        }
        if finished[heard] == nil { finished[heard] = score(ofCopying: heard) }
        var ranked = finished.map { Candidate(words: $0.key, score: $0.value) }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.words.lexicographicallyPrecedes($1.words) }
        if ranked.count > count {
            let input = ranked.first { $0.words == heard }!
            ranked = Array(ranked.prefix(count))
            if !ranked.contains(input) { ranked[count - 1] = input }
        }
        return ranked
    }

    /// Inserts a hypothesis into a node's list, kept sorted best first, distinct by words and
    /// at most `limit` long.
    private static func insert(_ candidate: Candidate, into list: inout [Candidate], keeping limit: Int) {
        if let same = list.firstIndex(where: { $0.words == candidate.words }) {
            guard candidate.score > list[same].score else { return }
            list.remove(at: same)
        }
        if list.count >= limit, let worst = list.last, worst.score >= candidate.score { return }
        let at = list.firstIndex { $0.score < candidate.score } ?? list.count
        list.insert(candidate, at: at)
        if list.count > limit { list.removeLast() }
    }

    /// Do no harm over scored candidates: the best one when it beats the transcript as heard
    /// by at least ``Weights/minimumGainPerEdit`` per changed word, else the transcript.
    public func choose(among scored: [Candidate], heard: [String]) -> [String] {
        guard let best = scored.max(by: { $0.score < $1.score }) else { return heard }
        guard weights.minimumGainPerEdit > 0, best.words != heard,
              let input = scored.first(where: { $0.words == heard }) else { return best.words }
        let edits = WordAligner.editCounts(reference: best.words, hypothesis: heard).errors
        return best.score - input.score >= weights.minimumGainPerEdit * Double(max(1, edits)) ? best.words : heard
    }
}
