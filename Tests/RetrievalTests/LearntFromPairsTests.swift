import ATCText
import PhraseStore
import Testing
@testable import Retrieval

/// What retrieval learns from the noisy pairs: the query map, the heard designator spellings,
/// and the edit-similarity rerank's measure.
@Suite struct LearntFromPairsTests {
    /// With an exact linear relation `r = h·A + c` and negligible ridge, the fitted map must be
    /// `A` and must carry every hypothesis onto its reference (values computed from the
    /// generating `A`, not from the fit).
    @Test func queryMapRecoversAnExactLinearRelation() {
        var random = SplitMixForTests(seed: 11)
        let d = 5
        let mixing = (0..<d).map { i in (0..<d).map { j in Float(i == j ? 1.5 : 0.1 * Double(i - j)) } }
        let offset: [Float] = [0.5, -1, 2, 0, 0.25]
        var hypotheses: [[Float]] = [], references: [[Float]] = []
        for _ in 0..<300 {
            let h = (0..<d).map { _ in Float(random.gaussian()) }
            var r = offset
            for i in 0..<d { for j in 0..<d { r[j] += h[i] * mixing[i][j] } }
            hypotheses.append(h)
            references.append(r)
        }
        let map = EmbeddingTransform.QueryMap(fittingHypotheses: hypotheses, references: references, dimension: d, ridge: 1e-9)
        for i in 0..<d {
            for j in 0..<d { #expect(abs(map.matrix[i * d + j] - mixing[i][j]) < 1e-3, "M[\(i)][\(j)]") }
        }
        let probe: [Float] = [1, 2, 3, 4, 5]
        var expected = offset
        for i in 0..<d { for j in 0..<d { expected[j] += probe[i] * mixing[i][j] } }
        for (a, b) in zip(map.apply(probe), expected) { #expect(abs(a - b) < 1e-2) }
    }

    /// Without pairs the map shrinks to the identity (queries pass unchanged).
    @Test func queryMapWithoutPairsIsTheIdentity() {
        let map = EmbeddingTransform.QueryMap(fittingHypotheses: [], references: [], dimension: 3, ridge: 0.01)
        #expect(map.apply([1, -2, 3]) == [1, -2, 3])
    }

    @Test func editSimilarityByHand() {
        #expect(EditSimilarity.similarity(CanonicalTranscript(tokens: ["abc"]), CanonicalTranscript(tokens: ["abd"])) == 1 - 1.0 / 3)
        #expect(EditSimilarity.similarity(CanonicalTranscript(tokens: ["d", "sign"]), CanonicalTranscript(tokens: ["descend"])) == 1 - 4.0 / 7)   // d_sign → descend: 4 edits
        #expect(EditSimilarity.similarity(CanonicalTranscript(tokens: ["roger"]), CanonicalTranscript(tokens: ["roger"])) == 1)
        #expect(EditSimilarity.similarity(.empty, CanonicalTranscript(tokens: ["roger"])) == 0)
    }

    @Test func heardSpellingsBecomeDesignatorForms() throws {
        let parser = CallsignParser(corpus: try EmbeddedCorpus.load())
        func tokens(_ text: String) -> [String] { ATCNormalizer.canonicalTokens(text) }
        let pairs = [
            (tokens("Speaker 2839 contact Rhein 127.37"), tokens("speedbird two eight three nine contact rhein one two seven decimal three seven")),
            (tokens("Speaker 415 descend flight level 250"), tokens("speedbird four one five descend flight level two five zero")),
            (tokens("speedbird 2839 roger"), tokens("speedbird two eight three nine roger")),
            // The number is not heard: nothing learnt from this one.
            (tokens("Spieker roger"), tokens("speedbird two eight three nine roger")),
        ]
        let spellings = CallsignMatcher.heardSpellings(pairs: pairs, parser: parser)
        #expect(spellings == ["speaker": ["speedbird": 2]])
        let airlines = [Airline(icao: "BAW", telephony: "speedbird", name: "British Airways", country: "United Kingdom")]
        let without = CallsignMatcher(airlines: airlines, known: [])
        let with = CallsignMatcher(airlines: airlines, known: [], heardSpellings: spellings)
        let query = tokens("Speaker 731 turn left")
        // `speaker` is too far from `speedbird` by letters and by sound key to match on its own.
        #expect(!without.candidates(query, limit: 5).contains { $0.telephony == "speedbird" })
        #expect(with.candidates(query, limit: 1).map { "\($0.telephony) \($0.flightNumber)" } == ["speedbird 731"])
    }

    @Test func spellingsWithAStrayDigitAreLearntAndHeardExactly() throws {
        let parser = CallsignParser(corpus: try EmbeddedCorpus.load())
        func tokens(_ text: String) -> [String] { ATCNormalizer.canonicalTokens(text) }
        let pairs = [
            // Whisper's `F1 689` for air france six eight nine: `f 1` stood for the designator.
            (tokens("F1 689, good afternoon"), tokens("air france six eight nine good afternoon")),
            (tokens("F1 647 contact Rhein"), tokens("air france six four seven contact rhein")),
            // A designator form before the stray digit teaches nothing (`alitalia 4` would only
            // shift the number).
            (tokens("Alitalia 4401 turn left"), tokens("alitalia four zero one turn left")),
            (tokens("Alitalia 4401 roger"), tokens("alitalia four zero one roger")),
        ]
        let spellings = CallsignMatcher.heardSpellings(pairs: pairs, parser: parser)
        #expect(spellings["f 1"] == ["air france": 2])
        let airlines = [
            Airline(icao: "AFR", telephony: "air france", name: "Air France", country: "France"),
            Airline(icao: "AZA", telephony: "alitalia", name: "Alitalia", country: "Italy"),
        ]
        let matcher = CallsignMatcher(airlines: airlines, known: [], heardSpellings: spellings)
        func top(_ text: String) -> [String] {
            matcher.candidates(tokens(text), limit: 5).map { "\($0.telephony) \($0.flightNumber)" }
        }
        #expect(top("F1 324 contact Rhein").first == "air france 324")
        // Heard exactly only: another letter with a digit is no air france.
        #expect(!top("G1 324 contact Rhein").contains("air france 324"))
        #expect(!top("Alitalia 4401 descend").contains("alitalia 01"))
    }
}
