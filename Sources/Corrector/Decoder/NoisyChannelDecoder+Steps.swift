import ATCText
import Foundation

extension NoisyChannelDecoder {
    /// The steps the lattice offers at `position` of `heard` (with the query's bias, when
    /// the decoder has one).
    public func steps(at position: Int, of heard: [String]) -> [Step] {
        var steps: [Step] = []
        for length in 1...ConfusionTable.maxHypothesisSpan where position + length <= heard.count {
            let span = heard[position..<position + length]
            var rewrites = confusions.rewrites(of: span)
            let prior = length == 1 && lexicon.knows(span[span.startIndex]) ? weights.copyPrior : 0
            if prior > 0, !rewrites.isEmpty, !rewrites.contains(where: { $0.reference.elementsEqual(span) }) {
                rewrites.append(ConfusionTable.Rewrite(reference: Array(span), count: 0))
            }
            let heardDigits = weights.keepDigits ? span.filter(ATCNormalizer.isDigitToken) : []
            let shown = bias.map { $0.pairRewrites.rewrites(of: span).filter { !$0.reference.elementsEqual(span) } } ?? []
            for rewrite in rewrites {
                if weights.keepDigits, rewrite.reference.filter(ATCNormalizer.isDigitToken) != heardDigits { continue }
                var score = weights.confusion * confusions.logProbability(of: rewrite, heard: span, copyPrior: prior)
                if shown.contains(where: { $0.reference == rewrite.reference }) { score += weights.pairBonus }
                steps.append(Step(consumed: length, emitted: rewrite.reference, channelScore: score, source: .confusion))
            }
            if let bias {
                // Rewrites of the retrieved pairs that the global table does not offer here.
                for rewrite in shown where !rewrites.contains(where: { $0.reference == rewrite.reference }) {
                    if weights.keepDigits, rewrite.reference.filter(ATCNormalizer.isDigitToken) != heardDigits { continue }
                    let score = weights.confusion * bias.pairRewrites.logProbability(of: rewrite, heard: span) + weights.pairBonus
                    steps.append(Step(consumed: length, emitted: rewrite.reference, channelScore: score, source: .retrieved))
                }
                for match in bias.targets.matches(for: span) {
                    let score = weights.soundAlikeBase + weights.soundAlikeDistance * match.distance + match.target.bonus
                    steps.append(Step(consumed: length, emitted: match.target.words, channelScore: score, source: .retrieved))
                }
            }
            if length <= 2 {
                for candidate in lexicon.candidates(for: span)
                where !rewrites.contains(where: { $0.reference == candidate.words }) {
                    let score = weights.soundAlikeBase + weights.soundAlikeDistance * candidate.distance
                    steps.append(Step(consumed: length, emitted: candidate.words, channelScore: score, source: .soundAlike))
                }
            }
        }
        if position < heard.count, !confusions.knows(heard[position...position]) {
            steps.append(Step(consumed: 1, emitted: [heard[position]], channelScore: weights.unseenCopy, source: .copy))
        }
        if let bias { steps += callsignSpans(at: position, of: heard, bias: bias) }
        return steps
    }

    /// Whole-callsign steps: for the best ``Weights/callsignSpanCandidates`` retrieved callsigns
    /// and every `--context` entry with a flight number, where the heard words at `position`
    /// are up to three non-digit words followed by exactly that number, the step rewrites the
    /// span as the callsign (`left sounds are 4 7 0 0` → `lufthansa 4 7 0 0`), scored by how
    /// the words before the number sound like the designator (a dropped designator counts as
    /// distance 1) plus the callsign or context bonus.
    private func callsignSpans(at position: Int, of heard: [String], bias: CompiledBias) -> [Step] {
        guard weights.callsignSpanCandidates > 0 else { return [] }
        var candidates: [(telephony: ArraySlice<String>, number: ArraySlice<String>, bonus: Double)] = []
        for callsign in bias.evidence.callsigns.prefix(weights.callsignSpanCandidates) {
            let spoken = callsign.spoken.tokens
            candidates.append((spoken.prefix(callsign.telephony.count), spoken.dropFirst(callsign.telephony.count),
                               weights.callsignBonus))
        }
        for entry in bias.evidence.context.map(\.tokens) {
            guard let first = entry.firstIndex(where: ATCNormalizer.isDigitToken), first > 0 else { continue }
            candidates.append((entry[..<first], entry[first...], weights.contextBonus))
        }
        var steps: [Step] = []
        for (telephony, number, bonus) in candidates {
            guard number.first.map(ATCNormalizer.isDigitToken) == true else { continue }
            var digitsStart = position
            while digitsStart < heard.count, digitsStart - position <= 3, !ATCNormalizer.isDigitToken(heard[digitsStart]) {
                digitsStart += 1
            }
            guard digitsStart - position <= 3, digitsStart + number.count <= heard.count,
                heard[digitsStart..<digitsStart + number.count].elementsEqual(number)
            else { continue }
            let spoken = heard[position..<digitsStart]
            if spoken.elementsEqual(telephony) { continue }
            let distance = spoken.isEmpty ? 1 : min(
                EditDistance.normalized(PhoneticKey.key(spoken.joined()), PhoneticKey.key(telephony.joined())),
                EditDistance.normalized(Array(spoken.joined().utf8), Array(telephony.joined().utf8)))
            let score = weights.callsignSpanBase + weights.soundAlikeDistance * distance + bonus
            steps.append(Step(consumed: digitsStart + number.count - position, emitted: Array(telephony + number),
                              channelScore: score, source: .retrieved))
        }
        return steps
    }
}
