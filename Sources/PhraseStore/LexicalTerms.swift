import ATCText
import Foundation

/// The terms lexical search matches on, shared by the index and the reference scorer.
///
/// A term is a word of the canonical form, or a pair of adjacent tokens of which at least one
/// is a digit (`3 4`, `level 2`). Single digits are not terms: they occur in nearly every
/// phrase, so they would cost a long posting list for almost no ranking weight, while the
/// pairs keep numbers (callsigns, levels, frequencies) discriminative.
public enum LexicalTerms {
    /// The terms of canonical `tokens`, with repetitions (for term frequency).
    public static func terms(of tokens: [String]) -> [String] {
        var terms: [String] = []
        terms.reserveCapacity(tokens.count * 2)
        for (index, token) in tokens.enumerated() {
            let isDigit = ATCNormalizer.isDigitToken(token)
            if !isDigit { terms.append(token) }
            if index + 1 < tokens.count, isDigit || ATCNormalizer.isDigitToken(tokens[index + 1]) {
                terms.append(token + " " + tokens[index + 1])
            }
        }
        return terms
    }

    /// The set of letter trigrams of `word`, padded with a space on each side, for fuzzy
    /// matching of misrecognised words (`luftheancer` ~ `lufthansa`).
    public static func trigrams(_ word: String) -> Set<String> {
        let characters = Array(" " + word + " ")
        guard characters.count >= 3 else { return [] }
        var result = Set<String>()
        for start in 0...(characters.count - 3) {
            result.insert(String(characters[start..<start + 3]))
        }
        return result
    }

    /// Dice similarity of two trigram sets (0 … 1).
    public static func dice(_ a: Set<String>, _ b: Set<String>) -> Double {
        guard !a.isEmpty || !b.isEmpty else { return 0 }
        return 2 * Double(a.intersection(b).count) / Double(a.count + b.count)
    }
}

/// Okapi BM25 parameters and term weight, shared by ``LexicalIndex`` and its reference.
public enum BM25 {
    /// Term-frequency saturation.
    public static let k1 = 1.2
    /// Length normalisation.
    public static let b = 0.75

    /// Inverse document frequency (the BM25+ form that never goes negative).
    public static func idf(documentCount: Int, documentFrequency: Int) -> Double {
        let n = Double(documentCount), df = Double(documentFrequency)
        return log(1 + (n - df + 0.5) / (df + 0.5))
    }

    /// One term's contribution to a document's score.
    public static func weight(idf: Double, termFrequency: Int, length: Int, averageLength: Double) -> Double {
        let tf = Double(termFrequency)
        return idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * Double(length) / averageLength))
    }
}
