import ATCText
import Testing
@testable import PhraseStore

/// The in-memory BM25 index against the brute-force reference scorer.
@Suite struct LexicalIndexTests {
    static let documents: [(id: Int64, canonical: String)] = {
        let phrases = CorpusGenerator(corpus: TestSupport.corpus).generate(count: 1500, seed: 99)
        var seen = Set<String>()
        var documents: [(id: Int64, canonical: String)] = []
        for phrase in phrases {
            let canonical = ATCNormalizer.canonical(phrase)
            if seen.insert(canonical).inserted { documents.append((Int64(documents.count * 3 + 7), canonical)) }
        }
        return documents
    }()

    @Test func indexAgreesWithBruteForceBM25() {
        let index = LexicalIndex(documents: Self.documents)
        let queries = CorpusGenerator(corpus: TestSupport.corpus).generate(count: 40, seed: 5)
            + ["luftheancer 5318 contact zurich 134.6", "speed bird climb flight level 350", "roger"]
        var compared = 0
        for query in queries {
            let tokens = ATCNormalizer.canonicalTokens(query)
            let fast = index.search(tokens, limit: 10)
            let reference = LexicalReference.search(
                documents: Self.documents, queryTerms: index.weightedQueryTerms(tokens), limit: 10)
            #expect(fast.count == reference.count, "\(query)")
            for (a, b) in zip(fast, reference) {
                #expect(abs(a.score - b.score) <= 1e-9 * max(1, abs(b.score)), "\(query)")
                // Identical scores may be summed in a different order; ids must agree unless tied.
                if abs(a.score - b.score) <= 1e-9, a.phraseID != b.phraseID {
                    #expect(fast.contains { $0.phraseID == b.phraseID } || abs(reference.last!.score - b.score) <= 1e-9)
                } else {
                    #expect(a.phraseID == b.phraseID, "\(query)")
                }
                compared += 1
            }
        }
        #expect(compared > 300)
    }

    @Test func misrecognisedWordsMatchSimilarVocabulary() {
        let index = LexicalIndex(documents: [(1, "lufthansa 4 3 9 3 descend flight level 2 7 0"), (2, "swiss 2 8 1 climb")])
        let terms = index.weightedQueryTerms(ATCNormalizer.canonicalTokens("luftheancer"))
        #expect(terms.count == 1 && terms[0].term == "lufthansa")
        #expect(terms[0].weight >= LexicalIndex.fuzzyThreshold && terms[0].weight < 1)
        #expect(index.search(ATCNormalizer.canonicalTokens("Luftheancer 4393"), limit: 2).first?.phraseID == 1)
        // No similar word: the term is dropped rather than matched to anything.
        #expect(index.weightedQueryTerms(["qwertyuiop"]).isEmpty)
    }

    @Test func bm25TermWeightByHand() {
        // idf = ln(1 + (10 - 2 + 0.5) / (2 + 0.5)) = ln(4.4); tf 1 at average length:
        // weight = idf * 1 * 2.2 / (1 + 1.2) = idf.
        let idf = BM25.idf(documentCount: 10, documentFrequency: 2)
        #expect(abs(idf - 1.4816045409242156) < 1e-12)
        #expect(abs(BM25.weight(idf: idf, termFrequency: 1, length: 8, averageLength: 8) - idf) < 1e-12)
    }

    @Test func termsAreWordsAndDigitPairs() {
        #expect(LexicalTerms.terms(of: ["lufthansa", "4", "3", "descend"]) == ["lufthansa", "lufthansa 4", "4 3", "3 descend", "descend"])
    }
}
