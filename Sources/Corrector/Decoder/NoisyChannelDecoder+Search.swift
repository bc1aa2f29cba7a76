import ATCText

extension NoisyChannelDecoder {
    /// The `count` best distinct rewrites of `heard` the lattice search finds, best first
    /// (equal scores in word order), each with the score of the best path that writes it.
    ///
    /// The beam runs over (position, prior state). Each state keeps its `perState` best
    /// hypotheses with distinct words, and each position passes on the
    /// ``Weights/beamWidth`` × `perState` best hypotheses. With one per state the survivors
    /// differ only in their last two words, which is all the 1-best needs; more per state let
    /// alternatives early in the utterance reach the end, which a judge of the n best needs.
    public func nBest(_ heard: CanonicalTranscript, count: Int, perState: Int = 1) -> [Candidate] {
        guard count > 0 else { return [] }
        return Array(completePaths(heard.tokens, steps: lattice(heard.tokens), perState: perState).prefix(count))
    }

    /// What the propose stage hands on: the `count` best rewrites with the transcript as heard
    /// among them (so a later stage can always keep it), the best of all and the transcript as
    /// heard on their own.
    ///
    /// The input's score is the better of the search's best path to it and the path that copies
    /// every word: the search may have pruned the copy, and a span step may write the same
    /// words for less. When the input is not among the `count` best it takes the last place.
    public func propose(_ heard: CanonicalTranscript, count: Int, perState: Int = 1) -> Proposals {
        guard !heard.isEmpty else {
            let empty = Candidate(words: heard, score: 0)
            return Proposals(ranked: [empty], best: empty, asHeard: empty)
        }
        let steps = lattice(heard.tokens)
        var all = completePaths(heard.tokens, steps: steps, perState: perState)
        let copy = copyScore(heard.tokens, steps: steps)
        let asHeard: Candidate
        if let found = all.firstIndex(where: { $0.words == heard }) {
            asHeard = Candidate(words: heard, score: max(all[found].score, copy))
            all.remove(at: found)
        } else {
            asHeard = Candidate(words: heard, score: copy)
        }
        all.insert(asHeard, at: all.firstIndex { Self.ranksBefore(asHeard, $0) } ?? all.count)
        var ranked = Array(all.prefix(max(0, count)))
        if count > 0, !ranked.contains(where: { $0.words == heard }) { ranked[count - 1] = asHeard }
        return Proposals(ranked: ranked, best: all[0], asHeard: asHeard)
    }

    /// The decoder's own correction: its best rewrite when ``DoNoHarm`` with
    /// ``Weights/minimumGainPerEdit`` lets it replace the transcript, else the transcript.
    public func decode(_ heard: CanonicalTranscript) -> CanonicalTranscript {
        let proposals = propose(heard, count: 1)
        return DoNoHarm(minimumGainPerEdit: weights.minimumGainPerEdit)
            .choose(best: proposals.best, over: proposals.asHeard, heard: heard).words
    }

    /// The score of the path that leaves every heard word as it is (the best copy step of each
    /// word, or ``Weights/unseenCopy`` where the lattice offers none).
    public func score(ofCopying heard: CanonicalTranscript) -> Double {
        copyScore(heard.tokens, steps: lattice(heard.tokens))
    }

    /// The steps offered at every position of `heard`, computed once per search.
    private func lattice(_ heard: [String]) -> [[Step]] {
        heard.indices.map { steps(at: $0, of: heard) }
    }

    private func copyScore(_ words: [String], steps: [[Step]]) -> Double {
        var state = priorStart
        var total = 0.0
        for (position, word) in words.enumerated() {
            let copy = steps[position].filter { $0.consumed == 1 && $0.emitted == [word] }
            total += copy.map(\.channelScore).max() ?? weights.unseenCopy
            let scored = prior(word, after: state)
            total += weights.languageModel * scored.logProbability
            state = scored.next
        }
        return total + weights.languageModel * endPrior(after: state)
    }

    /// A hypothesis inside the search: the words so far (not yet a ``CanonicalTranscript``,
    /// which would join them at every step) and the score so far.
    private struct Partial {
        var words: [String]
        var score: Double
    }

    /// Every distinct word sequence that reaches the end of the lattice, with its best score
    /// (sentence end included), best first.
    private func completePaths(_ heard: [String], steps: [[Step]], perState: Int) -> [Candidate] {
        guard !heard.isEmpty else { return [Candidate(words: .empty, score: 0)] }
        let keep = max(1, perState)
        var lattice = [[PriorState: [Partial]]](repeating: [:], count: heard.count + 1)
        lattice[0][priorStart] = [Partial(words: [], score: 0)]
        for position in 0..<heard.count {
            let survivors = lattice[position]
                .flatMap { state, list in list.map { (state, $0) } }
                .sorted { Self.ranksBefore($0.1, $1.1) }
                .prefix(weights.beamWidth * keep)
            if survivors.isEmpty { continue }
            let options = steps[position]
            for (state, hypothesis) in survivors {
                for step in options {
                    let (lm, next) = prior(of: step.emitted, after: state)
                    let extended = Partial(words: hypothesis.words + step.emitted,
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
        return finished.map { Candidate(words: CanonicalTranscript(tokens: $0.key), score: $0.value) }
            .sorted(by: Self.ranksBefore)
    }

    /// Best score first; equal scores in word order, so that the beam's cut and the ranking do
    /// not depend on dictionary order.
    private static func ranksBefore(_ a: Partial, _ b: Partial) -> Bool {
        a.score != b.score ? a.score > b.score : a.words.lexicographicallyPrecedes(b.words)
    }

    private static func ranksBefore(_ a: Candidate, _ b: Candidate) -> Bool {
        a.score != b.score ? a.score > b.score : a.words.tokens.lexicographicallyPrecedes(b.words.tokens)
    }

    /// Inserts a hypothesis into a node's list, kept sorted best first, distinct by words and
    /// at most `limit` long; of equal scores the one there first stays.
    private static func insert(_ candidate: Partial, into list: inout [Partial], keeping limit: Int) {
        if let same = list.firstIndex(where: { $0.words == candidate.words }) {
            guard candidate.score > list[same].score else { return }
            list.remove(at: same)
        }
        if list.count >= limit, let worst = list.last, worst.score >= candidate.score { return }
        let at = list.firstIndex { $0.score < candidate.score } ?? list.count
        list.insert(candidate, at: at)
        if list.count > limit { list.removeLast() }
    }
}
