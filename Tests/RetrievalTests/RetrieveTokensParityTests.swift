import ATCText
import Foundation
import PhraseStore
import Testing
@testable import Retrieval

/// `retrieve(tokens:)` returns exactly what retrieval returned before it took canonical
/// tokens (when it normalised a string itself and split and joined strings internally).
///
/// The expected lists below were written by the previous implementation (commit 6152f0e) on
/// the same tiny index these tests build — 200 generated phrases plus the hand-written pairs,
/// embedded at block 3 — and pasted here; they are the old path's output, not this one's.
@Suite(.serialized) struct RetrieveTokensParityTests {
    static let transcripts = [
        "Luftheancer 5318 contact Zurich 134.6",
        "Vitalia d sign to flight level 310",
        "Sabina 481, Ryan identified.",
        "speedbird 2839 turn left heading 270",
        "KLM 75 contact Rhein 132.4 goodbye",
        "iberia three three one seven squawk 4621",
        "hermalt 104 descend flight level 250",
        "climb to flight level 330",
    ]

    /// One result as lines: hits (text, canonical, score, source, phrase id), callsigns, pairs, note.
    static func render(_ r: RetrievalResult) -> [String] {
        var out: [String] = []
        for h in r.hits {
            out.append("H|\(h.text)|\(h.canonical.text)|\(String(format: "%.9f", h.score))|\(h.source.rawValue)|\(h.phraseID)")
        }
        for c in r.callsigns { out.append("C|\(c.telephony)|\(c.flightNumber)|\(String(format: "%.9f", c.score))") }
        for p in r.pairs { out.append("P|\(p.hypothesisCanonical)|\(p.referenceCanonical)|\(p.occurrences)") }
        out.append("N|\(r.note ?? "")")
        return out
    }

    /// The recorded lines per mode and transcript.
    static func expected() -> [String: [String]] {
        var result: [String: [String]] = [:]
        var key = ""
        for line in golden.split(separator: "\n") {
            if line.hasPrefix("T|") { key = String(line.dropFirst(2)) } else { result[key, default: []].append(String(line)) }
        }
        return result
    }

    /// Lexical scores are exact arithmetic on counts: equal to the printed digit. Dense scores
    /// come from float embeddings, and the golden lists were recorded on an AVX-512 machine:
    /// another CPU's BLAS sums in another order, and whitening (fitted here on 150 phrases)
    /// magnifies that to ~10⁻³ in a cosine, enough to swap two hits a few thousandths apart.
    /// So with `tolerance` above 10⁻⁶, hits may come in another order when their scores are
    /// that close, but the same hits (text, canonical form, source, phrase id) must be there;
    /// callsigns, pairs and the note must be equal line for line.
    static func sameLines(_ got: [String], _ want: [String], tolerance: Double = 1e-6) -> Bool {
        guard got.count == want.count else { return false }
        func fields(_ line: String) -> [Substring] { line.split(separator: "|", omittingEmptySubsequences: false) }
        func close(_ a: String, _ b: String) -> Bool {
            let x = fields(a), y = fields(b)
            guard x.count == y.count else { return false }
            for (u, v) in zip(x, y) where u != v {
                guard let p = Double(u), let q = Double(v), abs(p - q) <= tolerance else { return false }
            }
            return true
        }
        if tolerance <= 1e-6 { return zip(got, want).allSatisfy { close($0, $1) } }
        let hits = { (lines: [String]) in lines.filter { $0.hasPrefix("H|") } }
        let rest = { (lines: [String]) in lines.filter { !$0.hasPrefix("H|") } }
        guard rest(got) == rest(want) else { return false }
        var unmatched = hits(want)
        for line in hits(got) {
            guard let match = unmatched.firstIndex(where: { close(line, $0) }) else { return false }
            unmatched.remove(at: match)
        }
        // Order: a hit may only come before one the golden list ranks higher if their
        // scores are within the tolerance.
        let scores = hits(got).map { Double(fields($0)[3]) ?? 0 }
        return zip(scores, scores.dropFirst()).allSatisfy { $0 + tolerance >= $1 }
    }

    func check(_ retriever: Retriever, mode: RetrievalMode, expected: [String: [String]]) throws {
        let tolerance = mode == .lexical ? 1e-6 : 5e-3
        for transcript in Self.transcripts {
            let want = try #require(expected["\(mode.rawValue)|\(transcript)"])
            let byTokens = Self.render(try retriever.retrieve(tokens: CanonicalTranscript(normalising: transcript), k: 5, mode: mode))
            #expect(Self.sameLines(byTokens, want, tolerance: tolerance), "\(mode) '\(transcript)':\n\(byTokens.joined(separator: "\n"))")
            // Tokens from stored canonical text and the raw-text overload give the same.
            let canonical = CanonicalTranscript(canonicalText: ATCNormalizer.canonical(transcript))
            #expect(Self.render(try retriever.retrieve(tokens: canonical, k: 5, mode: mode)) == byTokens)
            #expect(Self.render(try retriever.retrieve(transcript, k: 5, mode: mode)) == byTokens)
        }
    }

    @Test func lexicalEqualsThePreviousPath() throws {
        let directory = try RetrievalTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try RetrievalTestSupport.makeStore(in: directory, generated: 200)
        try check(try Retriever(directory: directory, modelPath: nil), mode: .lexical, expected: Self.expected())
    }

    @Test(.enabled(if: RetrievalTestSupport.hasModel, "needs models/SmolLM2-135M-Instruct.Q4_1.gguf (run the setup)"))
    func hybridAndDenseEqualThePreviousPath() throws {
        let directory = try RetrievalTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try RetrievalTestSupport.makeStore(in: directory, generated: 200)
        let embedder = try PhraseEmbedder(modelPath: RetrievalTestSupport.modelPath, settings: RetrieverTests.settings)
        var builder = IndexBuilder(layout: IndexLayout(directory: directory), embedder: embedder)
        builder.transformSampleSize = 150
        _ = try builder.build()
        let retriever = try Retriever(directory: directory, modelPath: RetrievalTestSupport.modelPath)
        for mode in [RetrievalMode.hybrid, .dense] { try check(retriever, mode: mode, expected: Self.expected()) }
    }

    /// Output of the previous implementation (see the suite's comment).
    static let golden = #"""
T|lexical|Luftheancer 5318 contact Zurich 134.6
H|lufthansa 5318 contact zurich 134.6|lufthansa 5 3 1 8 contact zurich 1 3 4 decimal 6|0.981818182|lexical|202
H|bangladesh 777 echo contact milano 134.975|bangladesh 7 7 7 echo contact milano 1 3 4 decimal 9 7 5|0.483333333|lexical|108
H|bair 3235 contact milan on 133.1|bair 3 2 3 5 contact milan on 1 3 3 decimal 1|0.482000000|lexical|142
H|france soleil 4 contact zurich arrival on 132.550|france soleil 4 contact zurich arrival on 1 3 2 decimal 5 5 0|0.477985948|lexical|111
H|k l m 75 contact rhein 132.4 good bye|k l m 7 5 contact rhein 1 3 2 decimal 4 good bye|0.432787879|lexical|208
C|lufthansa|5318|1.650000000
C|lufthansa cargo|5318|0.950000000
C|lithuania air|5318|0.866666667
C|tunair|5318|0.866666667
C|contactair|1346|0.800000000
P|luftheancer 5 3 1 8 contact zurich 1 3 4 decimal 6|lufthansa 5 3 1 8 contact zurich 1 3 4 decimal 6|1
P|klm 7 5 contact rhein 1 3 2 decimal 4 good bye|k l m 7 5 contact rhein 1 3 2 decimal 4 good bye|1
N|
T|lexical|Vitalia d sign to flight level 310
H|alitalia 292 descend to flight level 310|alitalia 2 9 2 descend to flight level 3 1 0|0.832980973|lexical|204
H|swissair 123 climb to flight level 330|swissair 1 2 3 climb to flight level 3 3 0|0.650000000|lexical|206
H|air malta 104 descend flight level 250|air malta 1 0 4 descend flight level 2 5 0|0.549501074|lexical|203
H|hawaiian 6 report reaching flight level 370|hawaiian 6 report reaching flight level 3 7 0|0.482222222|lexical|166
H|air hop 2639 confirm flight level 380|air hop 2 6 3 9 confirm flight level 3 8 0|0.476556777|lexical|17
C|alitalia|292|0.976744186
C|swissair|123|0.692857143
C|air malta|104|0.557142857
C|si chuan||0.500000000
C|hawaiian|6|0.490000000
P|alitalia 2 9 2 d sign to flight level 3 1 0|alitalia 2 9 2 descend to flight level 3 1 0|1
P|swissair 1 2 3 climb to flight level 3 3 0|swissair 1 2 3 climb to flight level 3 3 0|1
P|hermalt 1 0 4 descend flight level 2 5 0|air malta 1 0 4 descend flight level 2 5 0|1
N|
T|lexical|Sabina 481, Ryan identified.
H|sabena 481 rhein identified|sabena 4 8 1 rhein identified|0.981818182|lexical|201
H|royalair maroc 7 amsterdam identified|royalair maroc 7 amsterdam identified|0.472522523|lexical|30
H|sierra 5 romeo delta sierra munich identified|sierra 5 romeo delta sierra munich identified|0.432478632|lexical|148
H|cubana 948 continue taxi via hotel to stand 64|cubana 9 4 8 continue taxi via hotel to stand 6 4|0.291071429|lexical|38
H|neptune 485 climb flight level 440|neptune 4 8 5 climb flight level 4 4 0|0.281954887|lexical|159
C|sabena|481|1.650000000
C|siberian airlines|481|0.950000000
C|spanair|481|0.950000000
C|alpine|481|0.866666667
C|cubana|481|0.866666667
P|sabina 4 8 1 ryan identified|sabena 4 8 1 rhein identified|1
N|
T|lexical|speedbird 2839 turn left heading 270
H|speedbird 2839 turn left heading 270|speedbird 2 8 3 9 turn left heading 2 7 0|0.981818182|lexical|205
H|cimber 37 turn left heading 350|cimber 3 7 turn left heading 3 5 0|0.603752345|lexical|118
H|speed 270 knots csa 742|speed 2 7 0 knots csa 7 4 2|0.367750678|lexical|195
H|left heading 290 sterling 996|left heading 2 9 0 sterling 9 9 6|0.356504065|lexical|32
H|belgian airforce 4 turn left direct bastia|belgian airforce 4 turn left direct bastia|0.314285714|lexical|61
C|speedbird|2839|1.650000000
C|helvetic|270|0.850000000
C|lufthansa|270|0.850000000
C|cimber|37|0.740243902
C|avianca|270|0.716666667
P|speedbird 2 8 3 9 turn left heading 2 7 0|speedbird 2 8 3 9 turn left heading 2 7 0|1
N|
T|lexical|KLM 75 contact Rhein 132.4 goodbye
H|k l m 75 contact rhein 132.4 good bye|k l m 7 5 contact rhein 1 3 2 decimal 4 good bye|0.981818182|lexical|208
H|hawaiian 80 contact geneva 132.4 good bye|hawaiian 8 0 contact geneva 1 3 2 decimal 4 good bye|0.652564103|lexical|77
H|niugini 95 contact madrid 127.5 good bye|niugini 9 5 contact madrid 1 2 7 decimal 5 good bye|0.615686275|lexical|22
H|pacific 8 contact geneva radar 124.950 good bye|pacific 8 contact geneva radar 1 2 4 decimal 9 5 0 good bye|0.503013183|lexical|180
H|dannish 8604 contact tower 132.975|dannish 8 6 0 4 contact tower 1 3 2 decimal 9 7 5|0.446938776|lexical|131
C|klm|75|1.650000000
C|contactair|1324|0.907142857
C|cotam|75|0.866666667
C|hawaiian|80|0.803846154
C|china eastern|1324|0.764285714
P|klm 7 5 contact rhein 1 3 2 decimal 4 good bye|k l m 7 5 contact rhein 1 3 2 decimal 4 good bye|1
N|
T|lexical|iberia three three one seven squawk 4621
H|iberia 3317 squawk 4621|iberia 3 3 1 7 squawk 4 6 2 1|0.981818182|lexical|207
H|turkmenistan 3217 squawk 0143|turkmenistan 3 2 1 7 squawk 0 1 4 3|0.563333333|lexical|105
H|brickyard 6 reset squawk 7624|brickyard 6 reset squawk 7 6 2 4|0.491666667|lexical|88
H|qnh 1023 klm 5331|qnh 1 0 2 3 klm 5 3 3 1|0.347290640|lexical|197
H|alitalia 292 descend to flight level 310|alitalia 2 9 2 descend to flight level 3 1 0|0.337388193|lexical|204
C|iberia|3317|1.650000000
C|siberian airlines|3317|0.969230769
C|turkmenistan|3217|0.670000000
C|brickyard|6|0.537500000
C|klm|5331|0.263793103
P|iberia 3 3 1 7 squawk 4 6 2 1|iberia 3 3 1 7 squawk 4 6 2 1|1
P|alitalia 2 9 2 d sign to flight level 3 1 0|alitalia 2 9 2 descend to flight level 3 1 0|1
N|
T|lexical|hermalt 104 descend flight level 250
H|air malta 104 descend flight level 250|air malta 1 0 4 descend flight level 2 5 0|0.981818182|lexical|203
H|alitalia 292 descend to flight level 310|alitalia 2 9 2 descend to flight level 3 1 0|0.681419458|lexical|204
H|air moldova 5 india descend flight level 150|air moldova 5 india descend flight level 1 5 0|0.594685990|lexical|39
H|swissair 123 climb to flight level 330|swissair 1 2 3 climb to flight level 3 3 0|0.515018315|lexical|206
H|lot 740 climb flight level 230|lot 7 4 0 climb flight level 2 3 0|0.498461538|lexical|58
C|air malta|104|1.650000000
C|air moldova|104|1.000000000
C|aero lloyd|104|0.950000000
C|aeroflot|104|0.950000000
C|eurolot|104|0.950000000
P|hermalt 1 0 4 descend flight level 2 5 0|air malta 1 0 4 descend flight level 2 5 0|1
P|alitalia 2 9 2 d sign to flight level 3 1 0|alitalia 2 9 2 descend to flight level 3 1 0|1
P|swissair 1 2 3 climb to flight level 3 3 0|swissair 1 2 3 climb to flight level 3 3 0|1
N|
T|lexical|climb to flight level 330
H|swissair 123 climb to flight level 330|swissair 1 2 3 climb to flight level 3 3 0|0.696103896|lexical|206
H|alitalia 292 descend to flight level 310|alitalia 2 9 2 descend to flight level 3 1 0|0.566795866|lexical|204
H|itarrow 35 climb to flight level 180|itarrow 3 5 climb to flight level 1 8 0|0.560439560|lexical|160
H|lot 740 climb flight level 230|lot 7 4 0 climb flight level 2 3 0|0.542016807|lexical|58
H|new zealand 44 stop climb at flight level 330|new zealand 4 4 stop climb at flight level 3 3 0|0.500000000|lexical|3
C|swissair|123|0.771428571
C|itarrow|35|0.669230769
C|alitalia|292|0.591860465
C|lot|740|0.555882353
C|eastflight||0.483333333
P|swissair 1 2 3 climb to flight level 3 3 0|swissair 1 2 3 climb to flight level 3 3 0|1
P|alitalia 2 9 2 d sign to flight level 3 1 0|alitalia 2 9 2 descend to flight level 3 1 0|1
N|
T|hybrid|Luftheancer 5318 contact Zurich 134.6
H|lufthansa 5318 contact zurich 134.6|lufthansa 5 3 1 8 contact zurich 1 3 4 decimal 6|1.072727273|both|202
H|france soleil 4 contact zurich arrival on 132.550|france soleil 4 contact zurich arrival on 1 3 2 decimal 5 5 0|0.544652615|both|111
H|dannish 8604 contact tower 132.975|dannish 8 6 0 4 contact tower 1 3 2 decimal 9 7 5|0.490442577|both|131
H|bangladesh 777 echo contact milano 134.975|bangladesh 7 7 7 echo contact milano 1 3 4 decimal 9 7 5|0.483333333|lexical|108
H|bair 3235 contact milan on 133.1|bair 3 2 3 5 contact milan on 1 3 3 decimal 1|0.482000000|lexical|142
C|lufthansa|5318|1.650000000
C|lufthansa cargo|5318|0.950000000
C|lithuania air|5318|0.866666667
C|tunair|5318|0.866666667
C|contactair|1346|0.800000000
P|luftheancer 5 3 1 8 contact zurich 1 3 4 decimal 6|lufthansa 5 3 1 8 contact zurich 1 3 4 decimal 6|1
N|
T|hybrid|Vitalia d sign to flight level 310
H|alitalia 292 descend to flight level 310|alitalia 2 9 2 descend to flight level 3 1 0|0.916314306|both|204
H|swissair 123 climb to flight level 330|swissair 1 2 3 climb to flight level 3 3 0|0.650000000|lexical|206
H|air malta 104 descend flight level 250|air malta 1 0 4 descend flight level 2 5 0|0.589501074|both|203
H|hawaiian 6 report reaching flight level 370|hawaiian 6 report reaching flight level 3 7 0|0.482222222|lexical|166
H|viet nam airlines 55 when ready descend to flight level 210|viet nam airlines 5 5 when ready descend to flight level 2 1 0|0.471726755|lexical|14
C|alitalia|292|0.976744186
C|swissair|123|0.692857143
C|air malta|104|0.557142857
C|si chuan||0.500000000
C|hawaiian|6|0.490000000
P|alitalia 2 9 2 d sign to flight level 3 1 0|alitalia 2 9 2 descend to flight level 3 1 0|1
P|swissair 1 2 3 climb to flight level 3 3 0|swissair 1 2 3 climb to flight level 3 3 0|1
P|hermalt 1 0 4 descend flight level 2 5 0|air malta 1 0 4 descend flight level 2 5 0|1
N|
T|hybrid|Sabina 481, Ryan identified.
H|sabena 481 rhein identified|sabena 4 8 1 rhein identified|1.072727273|both|201
H|royalair maroc 7 amsterdam identified|royalair maroc 7 amsterdam identified|0.508236808|both|30
H|sierra 5 romeo delta sierra munich identified|sierra 5 romeo delta sierra munich identified|0.488034188|both|148
H|heading 070 rossiya 250 zulu|heading 0 7 0 rossiya 2 5 0 zulu|0.308823529|dense|11
H|ariana 79 report level|ariana 7 9 report level|0.304761905|dense|107
C|sabena|481|1.650000000
C|siberian airlines|481|0.950000000
C|spanair|481|0.950000000
C|alpine|481|0.866666667
C|cubana|481|0.866666667
P|sabina 4 8 1 ryan identified|sabena 4 8 1 rhein identified|1
N|
T|hybrid|speedbird 2839 turn left heading 270
H|speedbird 2839 turn left heading 270|speedbird 2 8 3 9 turn left heading 2 7 0|1.072727273|both|205
H|cimber 37 turn left heading 350|cimber 3 7 turn left heading 3 5 0|0.687085679|both|118
H|speed 270 knots csa 742|speed 2 7 0 knots csa 7 4 2|0.402233436|both|195
H|heading 220 virgin 8|heading 2 2 0 virgin 8|0.358206492|both|191
H|left heading 290 sterling 996|left heading 2 9 0 sterling 9 9 6|0.356504065|lexical|32
C|speedbird|2839|1.650000000
C|helvetic|270|0.850000000
C|lufthansa|270|0.850000000
C|cimber|37|0.740243902
C|avianca|270|0.716666667
P|speedbird 2 8 3 9 turn left heading 2 7 0|speedbird 2 8 3 9 turn left heading 2 7 0|1
N|
T|hybrid|KLM 75 contact Rhein 132.4 goodbye
H|k l m 75 contact rhein 132.4 good bye|k l m 7 5 contact rhein 1 3 2 decimal 4 good bye|1.072727273|both|208
H|hawaiian 80 contact geneva 132.4 good bye|hawaiian 8 0 contact geneva 1 3 2 decimal 4 good bye|0.715064103|both|77
H|niugini 95 contact madrid 127.5 good bye|niugini 9 5 contact madrid 1 2 7 decimal 5 good bye|0.682352941|both|22
H|pacific 8 contact geneva radar 124.950 good bye|pacific 8 contact geneva radar 1 2 4 decimal 9 5 0 good bye|0.579936260|both|180
H|bangladesh 777 echo contact milano 134.975|bangladesh 7 7 7 echo contact milano 1 3 4 decimal 9 7 5|0.457393484|both|108
C|klm|75|1.650000000
C|contactair|1324|0.907142857
C|cotam|75|0.866666667
C|hawaiian|80|0.803846154
C|china eastern|1324|0.764285714
P|klm 7 5 contact rhein 1 3 2 decimal 4 good bye|k l m 7 5 contact rhein 1 3 2 decimal 4 good bye|1
N|
T|hybrid|iberia three three one seven squawk 4621
H|iberia 3317 squawk 4621|iberia 3 3 1 7 squawk 4 6 2 1|1.072727273|both|207
H|turkmenistan 3217 squawk 0143|turkmenistan 3 2 1 7 squawk 0 1 4 3|0.640256410|both|105
H|brickyard 6 reset squawk 7624|brickyard 6 reset squawk 7 6 2 4|0.547222222|both|88
H|volga 8071 reset squawk 2712|volga 8 0 7 1 reset squawk 2 7 1 2|0.429102167|dense|45
H|qnh 1023 klm 5331|qnh 1 0 2 3 klm 5 3 3 1|0.347290640|lexical|197
C|iberia|3317|1.650000000
C|siberian airlines|3317|0.969230769
C|turkmenistan|3217|0.670000000
C|brickyard|6|0.537500000
C|volga|8071|0.414705882
P|iberia 3 3 1 7 squawk 4 6 2 1|iberia 3 3 1 7 squawk 4 6 2 1|1
N|
T|hybrid|hermalt 104 descend flight level 250
H|air malta 104 descend flight level 250|air malta 1 0 4 descend flight level 2 5 0|1.072727273|both|203
H|alitalia 292 descend to flight level 310|alitalia 2 9 2 descend to flight level 3 1 0|0.718456495|both|204
H|air moldova 5 india descend flight level 150|air moldova 5 india descend flight level 1 5 0|0.666114562|both|39
H|swissair 123 climb to flight level 330|swissair 1 2 3 climb to flight level 3 3 0|0.515018315|lexical|206
H|arabia 5 maintain flight level 420|arabia 5 maintain flight level 4 2 0|0.495555556|dense|16
C|air malta|104|1.650000000
C|air moldova|104|1.000000000
C|aero lloyd|104|0.950000000
C|aeroflot|104|0.950000000
C|eurolot|104|0.950000000
P|hermalt 1 0 4 descend flight level 2 5 0|air malta 1 0 4 descend flight level 2 5 0|1
P|alitalia 2 9 2 d sign to flight level 3 1 0|alitalia 2 9 2 descend to flight level 3 1 0|1
P|swissair 1 2 3 climb to flight level 3 3 0|swissair 1 2 3 climb to flight level 3 3 0|1
N|
T|hybrid|climb to flight level 330
H|swissair 123 climb to flight level 330|swissair 1 2 3 climb to flight level 3 3 0|0.696103896|lexical|206
H|alitalia 292 descend to flight level 310|alitalia 2 9 2 descend to flight level 3 1 0|0.566795866|lexical|204
H|lot 740 climb flight level 230|lot 7 4 0 climb flight level 2 3 0|0.542016807|lexical|58
H|air malta 104 descend flight level 250|air malta 1 0 4 descend flight level 2 5 0|0.515746606|both|203
H|hansaline 13 continue climb to flight level 160|hansaline 1 3 continue climb to flight level 1 6 0|0.505978261|both|162
C|swissair|123|0.771428571
C|lot|740|0.605882353
C|alitalia|292|0.591860465
C|eastflight||0.483333333
C|air malta|104|0.420000000
P|swissair 1 2 3 climb to flight level 3 3 0|swissair 1 2 3 climb to flight level 3 3 0|1
P|alitalia 2 9 2 d sign to flight level 3 1 0|alitalia 2 9 2 descend to flight level 3 1 0|1
P|hermalt 1 0 4 descend flight level 2 5 0|air malta 1 0 4 descend flight level 2 5 0|1
N|
T|dense|Luftheancer 5318 contact Zurich 134.6
H|lufthansa 5318 contact zurich 134.6|lufthansa 5 3 1 8 contact zurich 1 3 4 decimal 6|0.999354959|dense|202
H|lufthansa cargo 1 climb to flight level 170|lufthansa cargo 1 climb to flight level 1 7 0|0.188648731|dense|139
H|bluestreak 82 direct zurich east|bluestreak 8 2 direct zurich east|0.124869615|dense|130
H|dynasty 96 contact zurich arrival on 135.750|dynasty 9 6 contact zurich arrival on 1 3 5 decimal 7 5 0|0.093828924|dense|147
H|france soleil 4 contact zurich arrival on 132.550|france soleil 4 contact zurich arrival on 1 3 2 decimal 5 5 0|0.081701122|dense|111
C|lufthansa|5318|1.650000000
C|lufthansa cargo|5318|0.950000000
C|lithuania air|5318|0.866666667
C|tunair|5318|0.866666667
C|contactair|1346|0.800000000
P|luftheancer 5 3 1 8 contact zurich 1 3 4 decimal 6|lufthansa 5 3 1 8 contact zurich 1 3 4 decimal 6|1
N|
T|dense|Vitalia d sign to flight level 310
H|sabena 481 rhein identified|sabena 4 8 1 rhein identified|0.227929294|dense|201
H|alitalia 292 descend to flight level 310|alitalia 2 9 2 descend to flight level 3 1 0|0.201125577|dense|204
H|boeing 300 report level|boeing 3 0 0 report level|0.198256657|dense|183
H|french air force 9082 proceed direct to trasadingen|french air force 9 0 8 2 proceed direct to trasadingen|0.160254955|dense|94
H|belgian airforce 4 turn left direct bastia|belgian airforce 4 turn left direct bastia|0.154064775|dense|61
C|alitalia|292|0.926744186
C|si chuan||0.500000000
C|delta||0.400000000
C|dragon||0.400000000
C|vietjet||0.400000000
P|sabina 4 8 1 ryan identified|sabena 4 8 1 rhein identified|1
P|alitalia 2 9 2 d sign to flight level 3 1 0|alitalia 2 9 2 descend to flight level 3 1 0|1
N|
T|dense|Sabina 481, Ryan identified.
H|sabena 481 rhein identified|sabena 4 8 1 rhein identified|0.999912620|dense|201
H|sudanair 441 expect flight level 180 in 12 minutes|sudanair 4 4 1 expect flight level 1 8 0 in 1 2 minutes|0.255817831|dense|101
H|k l m 75 contact rhein 132.4 good bye|k l m 7 5 contact rhein 1 3 2 decimal 4 good bye|0.242565542|dense|208
H|psa 278 hold position|psa 2 7 8 hold position|0.239074618|dense|126
H|emirates 3 india descend to flight level 090 contact rhein radar 135.8|emirates 3 india descend to flight level 0 9 0 contact rhein radar 1 3 5 decimal 8|0.214333862|dense|164
C|sabena|481|1.650000000
C|siberian airlines|481|0.950000000
C|spanair|481|0.950000000
C|alpine|481|0.866666667
C|cubana|481|0.866666667
P|sabina 4 8 1 ryan identified|sabena 4 8 1 rhein identified|1
P|klm 7 5 contact rhein 1 3 2 decimal 4 good bye|k l m 7 5 contact rhein 1 3 2 decimal 4 good bye|1
N|
T|dense|speedbird 2839 turn left heading 270
H|speedbird 2839 turn left heading 270|speedbird 2 8 3 9 turn left heading 2 7 0|0.999747276|dense|205
H|cimber 37 turn left heading 350|cimber 3 7 turn left heading 3 5 0|0.252738476|dense|118
H|speed 220 knots sun scan 121 sierra|speed 2 2 0 knots sun scan 1 2 1 sierra|0.116356000|dense|74
H|austrian 50 turn right heading 315 to intercept the localizer runway 26 right|austrian 5 0 turn right heading 3 1 5 to intercept the localizer runway 2 6 right|0.114495277|dense|140
H|ljubljana martinair 9823 good evening climbing flight level 360|ljubljana martinair 9 8 2 3 good evening climbing flight level 3 6 0|0.109160051|dense|112
C|speedbird|2839|1.650000000
C|helvetic|270|0.850000000
C|lufthansa|270|0.850000000
C|cimber|37|0.740243902
C|avianca|270|0.716666667
P|speedbird 2 8 3 9 turn left heading 2 7 0|speedbird 2 8 3 9 turn left heading 2 7 0|1
N|
T|dense|KLM 75 contact Rhein 132.4 goodbye
H|k l m 75 contact rhein 132.4 good bye|k l m 7 5 contact rhein 1 3 2 decimal 4 good bye|0.999820709|dense|208
H|danish airforce 468 bye bye|danish airforce 4 6 8 bye bye|0.296724796|dense|44
H|pacific 8 contact geneva radar 124.950 good bye|pacific 8 contact geneva radar 1 2 4 decimal 9 5 0 good bye|0.284066260|dense|180
H|sabena 481 rhein identified|sabena 4 8 1 rhein identified|0.243032962|dense|201
H|niugini 95 contact madrid 127.5 good bye|niugini 9 5 contact madrid 1 2 7 decimal 5 good bye|0.236513823|dense|22
C|klm|75|1.650000000
C|contactair|1324|0.907142857
C|cotam|75|0.866666667
C|china eastern|1324|0.764285714
C|china southern|1324|0.764285714
P|klm 7 5 contact rhein 1 3 2 decimal 4 good bye|k l m 7 5 contact rhein 1 3 2 decimal 4 good bye|1
P|sabina 4 8 1 ryan identified|sabena 4 8 1 rhein identified|1
N|
T|dense|iberia three three one seven squawk 4621
H|iberia 3317 squawk 4621|iberia 3 3 1 7 squawk 4 6 2 1|0.999345839|dense|207
H|expo 732 cleared to munich augsburg 1 alfa departure squawk 3265|expo 7 3 2 cleared to munich augsburg 1 alfa departure squawk 3 2 6 5|0.084617168|dense|47
H|turkmenistan 3217 squawk 0143|turkmenistan 3 2 1 7 squawk 0 1 4 3|0.082930669|dense|105
H|bangladesh 777 echo contact milano 134.975|bangladesh 7 7 7 echo contact milano 1 3 4 decimal 9 7 5|0.059550188|dense|108
H|itarrow 35 climb to flight level 180|itarrow 3 5 climb to flight level 1 8 0|0.054206625|dense|160
C|iberia|3317|1.650000000
C|siberian airlines|3317|0.969230769
C|turkmenistan|3217|0.620000000
C|expo|732|0.263043478
C|itarrow|35|0.169230769
P|iberia 3 3 1 7 squawk 4 6 2 1|iberia 3 3 1 7 squawk 4 6 2 1|1
N|
T|dense|hermalt 104 descend flight level 250
H|air malta 104 descend flight level 250|air malta 1 0 4 descend flight level 2 5 0|0.999008834|dense|203
H|air malta 377 go around i say again go around climb to 14500 feet|air malta 3 7 7 go around i say again go around climb to 1 4 5 0 0 feet|0.145858914|dense|181
H|cyprus 82 runway 26 cleared to land wind 030 degrees 2 knots|cyprus 8 2 runway 2 6 cleared to land wind 0 3 0 degrees 2 knots|0.101954125|dense|194
H|air moldova 5 india descend flight level 150|air moldova 5 india descend flight level 1 5 0|0.098379835|dense|39
H|boeing 300 report level|boeing 3 0 0 report level|0.083551936|dense|183
C|air malta|104|1.650000000
C|air moldova|104|1.000000000
C|aero lloyd|104|0.950000000
C|aeroflot|104|0.950000000
C|eurolot|104|0.950000000
P|hermalt 1 0 4 descend flight level 2 5 0|air malta 1 0 4 descend flight level 2 5 0|1
N|
T|dense|climb to flight level 330
H|boeing 300 report level|boeing 3 0 0 report level|0.240487158|dense|183
H|k l m 75 contact rhein 132.4 good bye|k l m 7 5 contact rhein 1 3 2 decimal 4 good bye|0.175586984|dense|208
H|bangladesh 777 echo contact milano 134.975|bangladesh 7 7 7 echo contact milano 1 3 4 decimal 9 7 5|0.124281056|dense|108
H|delta whiskey lima report passing flight level 250|delta whiskey lima report passing flight level 2 5 0|0.111213326|dense|79
H|danish airforce 468 bye bye|danish airforce 4 6 8 bye bye|0.104340166|dense|44
C|eastflight||0.483333333
C|swiftflight||0.364285714
C|boeing|300|0.266666667
C|aeroflot||0.250000000
C|atlanta||0.250000000
P|klm 7 5 contact rhein 1 3 2 decimal 4 good bye|k l m 7 5 contact rhein 1 3 2 decimal 4 good bye|1
N|
"""#
}
