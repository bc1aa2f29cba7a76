import ATCText
import Foundation
import PhraseStore
import VectorIndex

/// Retrieves exemplar phrases, callsign candidates and noisy pairs for a transcript from an
/// index directory (`phrases.sqlite` + `vectors.hnsw`, built by ``IndexBuilder``).
///
/// The index describes its own vectors (``IndexDescription``: embedding settings and model
/// fingerprint), so opening it needs only the model file. Everything is loaded once at open;
/// ``retrieve(tokens:k:mode:)`` is safe to call from several threads (embeddings are
/// serialised inside the embedder).
public final class Retriever: Sendable {
    /// The index files.
    public let layout: IndexLayout
    /// What the index records about its vectors (nil before vectors were built).
    public let indexDescription: IndexDescription?
    /// The embedding identity recorded in the index (nil before vectors were built).
    public var identity: String? { indexDescription?.identity }
    let store: PhraseStore
    let lexical: LexicalIndex
    /// BM25 over the stored Whisper hypotheses; document ids are indices into `hypothesisPhrase`.
    let hypotheses: LexicalIndex
    let hypothesisPhrase: [Int64]
    /// The stored Whisper hypotheses (canonical, UTF-8) of each reference canonical form, for
    /// the rerank: a transcript close to how Whisper once heard a phrase points to that phrase.
    let heardForms: [String: [[UInt8]]]
    let matcher: CallsignMatcher
    let parser: CallsignParser
    let embedder: PhraseEmbedder?
    let vectors: HNSWIndex?
    let transform: EmbeddingTransform?

    /// Fusion parameters for hybrid mode.
    public let fusion: FusionParameters

    /// How many candidates each retriever contributes before fusion, per requested hit.
    static let candidatesPerHit = 4
    /// At least this many candidates per retriever.
    static let minimumCandidates = 20

    /// Opens the index in `directory`. With a `modelPath`, dense and hybrid retrieval are
    /// available: the model must be the file the index was built with (checked by its sampled
    /// fingerprint) and queries are embedded with the settings the index records. Without one
    /// only lexical retrieval and callsigns work.
    public init(directory: URL, modelPath: String?, threads: Int = 2, fusion: FusionParameters = .standard)
        throws(RetrievalError)
    {
        self.fusion = fusion
        let layout = IndexLayout(directory: directory)
        self.layout = layout
        guard FileManager.default.fileExists(atPath: layout.phrasesURL.path) else {
            throw RetrievalError("no index at \(directory.path) (\(layout.phrasesURL.lastPathComponent) is missing); \(layout.buildHint)")
        }
        do {
            store = try PhraseStore(path: layout.phrasesURL.path, mode: .readOnly)
            let recorded = try IndexDescription.read(from: store, path: layout.phrasesURL.path)
            indexDescription = recorded
            lexical = try store.lexicalIndex()
            let pairs = try store.hypothesesWithReferences()
            hypotheses = LexicalIndex(documents: pairs.enumerated().map { (id: Int64($0.offset), canonical: $0.element.hypothesis) })
            hypothesisPhrase = pairs.map(\.phraseID)
            let referenceOf = try store.phrases(forIDs: Array(Set(hypothesisPhrase)))
            var heard: [String: [[UInt8]]] = [:]
            // Stored phrases are canonical strings: made tokens once, here.
            var tokenPairs: [(hypothesis: [String], reference: [String])] = []
            for pair in pairs {
                guard let reference = referenceOf[pair.phraseID]?.canonical else { continue }
                heard[reference, default: []].append(Array(pair.hypothesis.utf8))
                tokenPairs.append((CanonicalTranscript(canonicalText: pair.hypothesis).tokens,
                                   CanonicalTranscript(canonicalText: reference).tokens))
            }
            heardForms = heard
            parser = CallsignParser(corpus: try EmbeddedCorpus.load())
            let spellings = CallsignMatcher.heardSpellings(pairs: tokenPairs, parser: parser)
            // The generated corpus pairs airlines with random numbers: its callsigns are no
            // evidence that a flight exists, so only real corpora say which callsigns are known.
            matcher = CallsignMatcher(airlines: try store.allAirlines(),
                                      known: try store.knownCallsigns(excludingCorpora: ["default"]),
                                      commonWords: Self.commonWords(try store.canonicalForms().map(\.canonical)),
                                      heardSpellings: spellings)
            if let modelPath {
                guard let recorded else {
                    throw RetrievalError("\(layout.phrasesURL.path) has phrases but no embedded vectors yet (the build did not get that far); \(layout.buildHint)")
                }
                let embedder = try PhraseEmbedder(modelPath: modelPath, settings: recorded.settings, threads: threads)
                guard try recorded.model.matches(embedder.model, path: modelPath) else {
                    throw RetrievalError("""
                        index \(directory.path) was embedded with another model (\(recorded.model.summary)) than \
                        \(modelPath) (\(embedder.model.summary)); pass the --model the index was built with, or rebuild: \
                        \(layout.buildHint)
                        """)
                }
                let recordedIdentity = recorded.identity
                guard FileManager.default.fileExists(atPath: layout.vectorsURL.path) else {
                    throw RetrievalError("\(layout.vectorsURL.path) is missing; \(layout.buildHint)")
                }
                let vectors: HNSWIndex
                do {
                    vectors = try HNSWIndex.load(from: layout.vectorsURL, expectedModelIdentity: recordedIdentity,
                                                 expectedDimension: embedder.dimension)
                } catch {
                    throw RetrievalError("\(layout.vectorsURL.path): \(error.message); \(layout.buildHint)")
                }
                self.embedder = embedder
                self.vectors = vectors
                transform = try EmbeddingTransform.load(from: store, settings: recorded.settings, dimension: embedder.dimension,
                                                        path: layout.phrasesURL.path)
            } else {
                embedder = nil
                vectors = nil
                transform = nil
            }
        } catch let error as RetrievalError {
            throw error
        } catch {
            throw RetrievalError("\(layout.phrasesURL.path): \(error)")
        }
    }

    /// ``retrieve(tokens:k:mode:)`` for raw text (a user's query), normalised once here.
    public func retrieve(_ transcript: String, k: Int = 5, mode: RetrievalMode = .hybrid) throws(RetrievalError)
        -> RetrievalResult
    {
        try retrieve(tokens: CanonicalTranscript(normalising: transcript), k: k, mode: mode)
    }

    /// The `k` best exemplars for the canonical transcript `tokens` by `mode`, its `k` best
    /// callsign candidates and up to `k` noisy pairs whose reference is among the exemplars.
    /// An empty transcript retrieves nothing and says so in ``RetrievalResult/note``.
    public func retrieve(tokens query: CanonicalTranscript, k: Int = 5, mode: RetrievalMode = .hybrid)
        throws(RetrievalError) -> RetrievalResult
    {
        guard k > 0 else { throw RetrievalError("k must be positive (got \(k))") }
        let tokens = query.tokens
        guard !tokens.isEmpty else {
            return RetrievalResult(hits: [], callsigns: [], pairs: [], note: "empty transcript: nothing to retrieve")
        }
        let depth = max(Self.minimumCandidates, Self.candidatesPerHit * k)
        var lexicalList: [(canonical: String, phrase: IndexedPhrase, score: Double)] = []
        var denseList: [(canonical: String, phrase: IndexedPhrase, score: Double)] = []
        var heardList: [(canonical: String, phrase: IndexedPhrase, score: Double)] = []
        do {
            if mode != .dense {
                let found = lexical.search(tokens, limit: depth)
                let heard = hypotheses.search(tokens, limit: depth)
                let heardIDs = heard.map { hypothesisPhrase[Int($0.phraseID)] }
                let phrases = try store.phrases(forIDs: found.map(\.phraseID) + heardIDs)
                var seen = Set<String>()
                for hit in found {
                    guard let phrase = phrases[hit.phraseID], seen.insert(phrase.canonical).inserted else { continue }
                    lexicalList.append((phrase.canonical, phrase, hit.score))
                }
                seen.removeAll()
                for (hit, phraseID) in zip(heard, heardIDs) {
                    guard let phrase = phrases[phraseID], seen.insert(phrase.canonical).inserted else { continue }
                    heardList.append((phrase.canonical, phrase, hit.score))
                }
            }
            if mode != .lexical {
                guard let embedder, let vectors, let transform else {
                    throw RetrievalError("\(mode.rawValue) retrieval needs the embedding model; open the index with a model path (--model)")
                }
                let query = transform.applyToQuery(try embedder.embed(canonical: query.text))
                let found: [(id: UInt64, score: Float)]
                do {
                    found = try vectors.search(query, k: depth, ef: max(64, 2 * depth))
                } catch {
                    throw RetrievalError("\(layout.vectorsURL.path): search failed: \(error.message)")
                }
                let phrases = try store.phrases(forVectorIDs: found.map { Int64($0.id) })
                for hit in found {
                    // Vectors of phrases dropped since the build have no phrase: skip them.
                    guard let phrase = phrases[Int64(hit.id)] else { continue }
                    denseList.append((phrase.canonical, phrase, Double(hit.score)))
                }
            }
        } catch let error as RetrievalError {
            throw error
        } catch {
            throw RetrievalError("\(layout.phrasesURL.path): \(error)")
        }
        var hits = Self.combine(lexical: lexicalList, heard: heardList, dense: denseList, mode: mode,
                                k: mode == .dense ? k : max(k, fusion.rerankDepth), fusion: fusion)
        if mode != .dense { hits = rerank(hits, query: query, k: k) }
        let pairs: [NoisyPair]
        do {
            // Pairs follow the hits' order (the best hit's pairs first), most frequent first within a hit.
            let order = Dictionary(hits.enumerated().map { ($1.canonical.text, $0) },
                                   uniquingKeysWith: { first, _ in first })
            let found = try store.noisyPairs(forCanonicals: Array(order.keys), limit: 8 * k)
            pairs = Array(found.enumerated().sorted {
                let (a, b) = (order[$0.element.referenceCanonical] ?? k, order[$1.element.referenceCanonical] ?? k)
                return a != b ? a < b : $0.offset < $1.offset
            }.map(\.element).prefix(k))
        } catch {
            throw RetrievalError("\(layout.phrasesURL.path): \(error)")
        }
        let callsigns = Self.merge(matcher.candidates(tokens, limit: k), hitCallsigns(hits, query: query), limit: k)
        return RetrievalResult(hits: hits, callsigns: callsigns, pairs: pairs,
                               note: hits.isEmpty ? "no indexed phrase matches this transcript" : nil)
    }

    /// The head of the fused list rescored by ``FusionParameters/rerankWeight`` × the best edit
    /// similarity of the transcript to the candidate or to a stored hypothesis of it; the best
    /// `k`. The rest of the list keeps its order below the head.
    func rerank(_ hits: [RetrievalHit], query: CanonicalTranscript, k: Int) -> [RetrievalHit] {
        guard fusion.rerankWeight > 0, hits.count > 1 else { return Array(hits.prefix(k)) }
        let queryBytes = Array(query.text.utf8)
        let depth = min(hits.count, fusion.rerankDepth)
        var head = hits[..<depth].enumerated().map { index, hit -> (hit: RetrievalHit, index: Int) in
            let similarity = bestSimilarity(queryBytes, hit.canonical)
            var rescored = hit
            rescored.score += fusion.rerankWeight * similarity
            return (rescored, index)
        }
        head.sort { $0.hit.score != $1.hit.score ? $0.hit.score > $1.hit.score : $0.index < $1.index }
        return Array((head.map(\.hit) + hits[depth...]).prefix(k))
    }

    /// How many of the best hits lend their callsign to the candidates.
    static let hitCallsignDepth = 5
    /// Scale of a hit's callsign score (its edit similarity to the transcript, less a little
    /// per rank): a near-verbatim hit (similarity ~0.9) scores like a well-matched designator.
    static let hitCallsignWeight = 1.2

    /// The callsigns of the best hits: when Whisper garbles the designator beyond the
    /// matcher's reach, a retrieved phrase that is otherwise what was heard (the same flight's
    /// instruction in the corpora) still carries it.
    func hitCallsigns(_ hits: [RetrievalHit], query: CanonicalTranscript) -> [CallsignCandidate] {
        let queryBytes = Array(query.text.utf8)
        var result: [CallsignCandidate] = []
        for (rank, hit) in hits.prefix(Self.hitCallsignDepth).enumerated() {
            guard let callsign = parser.parse(hit.canonical.tokens), callsign.kind == .airline || callsign.kind == .unlistedTelephony,
                  let telephony = callsign.airline?.telephony ?? callsign.telephony
            else { continue }
            let similarity = bestSimilarity(queryBytes, hit.canonical)
            result.append(CallsignCandidate(telephony: telephony, flightNumber: callsign.flightNumber,
                                            score: Self.hitCallsignWeight * similarity - 0.05 * Double(rank)))
        }
        return result
    }

    /// The best edit similarity of the transcript (UTF-8 `queryBytes`) to `canonical` or to a
    /// stored Whisper hypothesis of it.
    func bestSimilarity(_ queryBytes: [UInt8], _ canonical: CanonicalTranscript) -> Double {
        var best = EditSimilarity.similarity(queryBytes, Array(canonical.text.utf8))
        for heard in heardForms[canonical.text] ?? [] {
            best = max(best, EditSimilarity.similarity(queryBytes, heard))
        }
        return best
    }

    /// `a` and `b` merged per callsign (the better score kept), best `limit` first.
    static func merge(_ a: [CallsignCandidate], _ b: [CallsignCandidate], limit: Int) -> [CallsignCandidate] {
        var best: [String: CallsignCandidate] = [:]
        for candidate in a + b {
            let key = candidate.telephony + "|" + candidate.flightNumber
            if let existing = best[key], existing.score >= candidate.score { continue }
            best[key] = candidate
        }
        return best.values.sorted {
            $0.score != $1.score ? $0.score > $1.score
                : ($0.telephony != $1.telephony ? $0.telephony < $1.telephony : $0.flightNumber < $1.flightNumber)
        }.prefix(limit).map { $0 }
    }

    /// Words in at least 0.5% of the phrases (and 20 of them): the phraseology's own words.
    static func commonWords(_ canonicals: [String]) -> Set<String> {
        var frequency: [Substring: Int] = [:]
        for canonical in canonicals {
            for word in Set(canonical.split(separator: " ")) where !ATCNormalizer.isDigitToken(String(word)) {
                frequency[word, default: 0] += 1
            }
        }
        let threshold = max(20, canonicals.count / 200)
        return Set(frequency.filter { $0.value >= threshold }.map { String($0.key) })
    }

    static func combine(
        lexical: [(canonical: String, phrase: IndexedPhrase, score: Double)],
        heard: [(canonical: String, phrase: IndexedPhrase, score: Double)],
        dense: [(canonical: String, phrase: IndexedPhrase, score: Double)], mode: RetrievalMode, k: Int,
        fusion: FusionParameters
    ) -> [RetrievalHit] {
        func hit(_ entry: (canonical: String, phrase: IndexedPhrase, score: Double), score: Double, source: HitSource)
            -> RetrievalHit
        {
            RetrievalHit(text: entry.phrase.text, canonical: CanonicalTranscript(canonicalText: entry.canonical),
                         score: score, source: source, phraseID: entry.phrase.phraseID)
        }
        var lists: [[(canonical: String, phrase: IndexedPhrase, score: Double)]] = []
        var weights: [Double] = []
        if mode != .dense {
            lists += [lexical, heard]
            weights += [1, fusion.hypothesisWeight]
        }
        if mode != .lexical {
            lists.append(dense)
            weights.append(mode == .dense ? 1 : fusion.denseWeight)
        }
        if mode == .dense { return dense.prefix(k).map { hit($0, score: $0.score, source: .dense) } }
        let inLexical = Set((lexical + heard).map(\.canonical)), inDense = Set(dense.map(\.canonical))
        var entries: [String: (canonical: String, phrase: IndexedPhrase, score: Double)] = [:]
        for entry in lists.joined() where entries[entry.canonical] == nil { entries[entry.canonical] = entry }
        let fused = ReciprocalRankFusion.fuse(lists.map { $0.map(\.canonical) }, weights: weights, k: fusion.rankConstant)
        return fused.prefix(k).map { fused in
            let source: HitSource = inLexical.contains(fused.key)
                ? (inDense.contains(fused.key) ? .both : .lexical) : .dense
            return hit(entries[fused.key]!, score: fused.score, source: source)
        }
    }
}
