import ATCText
import ArgumentParser
import CSVIO
import Foundation
import PhraseStore
import Retrieval

/// `atcfix index evaluate`: exact-reference recall@k, callsign recall and latency on a test CSV.
struct IndexEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure retrieval on a test CSV (whisper_text queries, correct_text references).",
        discussion: CommandHelp.discussion(
            """
            Exact-reference recall@k: over the rows whose reference (canonical form) is an indexed \
            phrase, the share whose reference is among the top k hits for the raw whisper_text. \
            Callsign recall@k: over the rows whose reference has a telephony callsign (CallsignParser), \
            the share with that telephony and flight number among the top k candidates (retrieved \
            in the first of --modes). Latency: \
            retrieve() wall time per row after load, median and 90th percentile. The index is \
            opened read-only.
            """,
            examples: [
                "atcfix index evaluate --test ../shared/corpora/atcosim/test.whisper-small.csv",
                "atcfix index evaluate --index /tmp/small-index --test dev.csv --modes lexical --k 5",
            ])
    )

    @Option(help: "The index directory (default: ATCFIX_INDEX, else the data directory's or checkout's indexes/default).")
    var index = Defaults.indexPath

    @OptionGroup var embedding: EmbeddingOptions

    @Option(help: "Test CSV with whisper_text and correct_text.")
    var test: String

    @Option(help: "Modes to measure (comma-separated: hybrid,dense,lexical).")
    var modes = "hybrid,dense,lexical"

    @Option(help: "Largest k (recall is printed for 1, 5 and this; 1...64).")
    var k = 10

    @Option(help: "Hybrid fusion: weight of the dense ranking (lexical is 1).")
    var denseWeight = FusionParameters.standard.denseWeight

    @Option(help: "Fusion: weight of the ranking by stored Whisper hypotheses (lexical is 1).")
    var hypothesisWeight = FusionParameters.standard.hypothesisWeight

    @Option(help: "Hybrid fusion: reciprocal-rank constant.")
    var rrfK = FusionParameters.standard.rankConstant

    @Option(help: "Hybrid/lexical: weight of the edit-similarity rerank (0 = off).")
    var rerankWeight = FusionParameters.standard.rerankWeight

    @Option(help: "Hybrid/lexical: fused candidates the rerank rescores.")
    var rerankDepth = FusionParameters.standard.rerankDepth

    @Option(help: "Print this many callsign misses at @5 (query, wanted, candidates above it; `late` when ranked 6th or lower; 0...100000).")
    var showMisses = 0

    func validate() throws {
        try OptionCheck.range("--k", k, 1...64)
        try OptionCheck.range("--show-misses", showMisses, 0...100_000)
        try OptionCheck.range("--dense-weight", denseWeight, 0...1_000)
        try OptionCheck.range("--hypothesis-weight", hypothesisWeight, 0...1_000)
        try OptionCheck.range("--rrf-k", rrfK, 0...100_000)
        try OptionCheck.range("--rerank-weight", rerankWeight, 0...1_000)
        try OptionCheck.range("--rerank-depth", rerankDepth, 1...10_000)
        let list = try modeList()
        if list.contains(where: { $0 != .lexical }) { try embedding.checkModel() }
    }

    private func modeList() throws -> [RetrievalMode] {
        let list = try modes.split(separator: ",").map { name -> RetrievalMode in
            guard let mode = RetrievalMode(rawValue: String(name)) else {
                throw ValidationError("--modes must list hybrid, dense or lexical (got '\(name)')")
            }
            return mode
        }
        guard !list.isEmpty else { throw ValidationError("--modes must list at least one of hybrid, dense, lexical (got '\(modes)')") }
        return list
    }

    func run() throws {
        let modeList = try modeList()
        let needsModel = modeList.contains { $0 != .lexical }
        let loadStart = Date()
        let retriever = try Retriever(directory: URL(fileURLWithPath: index), modelPath: needsModel ? embedding.model : nil,
                                      threads: embedding.threads,
                                      fusion: FusionParameters(denseWeight: denseWeight, hypothesisWeight: hypothesisWeight, rankConstant: rrfK,
                                                               rerankWeight: rerankWeight, rerankDepth: rerankDepth))
        print(String(format: "loaded %@ in %.2f s (%@)", index, Date().timeIntervalSince(loadStart), retriever.identity ?? "no vectors"))
        let store = try PhraseStore(path: retriever.layout.phrasesURL.path, mode: .readOnly)
        let indexed = Set(try store.canonicalForms().map(\.canonical))
        let parser = CallsignParser(corpus: try EmbeddedCorpus.load())

        let reader = try CSVReader(path: test)
        let hypothesisColumn = try reader.column(named: "whisper_text")
        let referenceColumn = try reader.column(named: "correct_text")
        var rows: [(query: String, reference: String)] = []
        while let record = try reader.next() {
            rows.append((record[hypothesisColumn], ATCNormalizer.canonical(record[referenceColumn])))
        }
        let eligible = rows.filter { indexed.contains($0.reference) }
        print("\(rows.count) rows, \(eligible.count) with the reference indexed verbatim")
        let ks = Array(Set([1, 5, k])).sorted()
        for mode in modeList {
            var found = [Int](repeating: 0, count: ks.count)
            var latencies: [Double] = []
            var referenceMisses = 0
            for row in eligible {
                let start = DispatchTime.now().uptimeNanoseconds
                let result = try retriever.retrieve(row.query, k: k, mode: mode)
                latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                let rank = result.hits.firstIndex { $0.canonical.joined(separator: " ") == row.reference }
                if let rank {
                    for (index, cutoff) in ks.enumerated() where rank < cutoff { found[index] += 1 }
                }
                if (rank ?? k) >= 5, referenceMisses < showMisses {
                    referenceMisses += 1
                    print("miss \(mode.rawValue): '\(row.query)' wants '\(row.reference)' (rank \(rank.map { String($0 + 1) } ?? "-")); got "
                        + result.hits.prefix(3).map { "'\($0.canonical.joined(separator: " "))'" }.joined(separator: ", "))
                }
            }
            let recalls = zip(ks, found).map { String(format: "@%d %.3f", $0, Double($1) / Double(max(eligible.count, 1))) }
            print("\(mode.rawValue): exact-reference recall \(recalls.joined(separator: "  ")) (n=\(eligible.count)); "
                + Self.latencyText(latencies))
        }

        // Callsigns over every row, by the first mode listed: the best hits lend their
        // callsigns, so the mode matters (lexical is the cheapest).
        let callsignMode = modeList.first ?? .lexical
        var withCallsign = 0, callsignFound = [Int](repeating: 0, count: ks.count), registrations = 0
        var latencies: [Double] = []
        var misses = 0
        for row in rows {
            let start = DispatchTime.now().uptimeNanoseconds
            let result = try retriever.retrieve(row.query, k: k, mode: callsignMode)
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            guard let reference = parser.parse(row.reference.split(separator: " ").map(String.init)) else { continue }
            guard let telephony = reference.airline?.telephony ?? reference.telephony else {
                registrations += 1
                continue
            }
            guard reference.kind != .flightNumberOnly else { continue }
            withCallsign += 1
            let wanted = telephony.replacingOccurrences(of: " ", with: "")
            if let rank = result.callsigns.firstIndex(where: {
                $0.telephony.replacingOccurrences(of: " ", with: "") == wanted && $0.flightNumber == reference.flightNumber
            }) {
                for (index, cutoff) in ks.enumerated() where rank < cutoff { callsignFound[index] += 1 }
                if rank >= 5, misses < showMisses {
                    misses += 1
                    print("late (rank \(rank + 1)): '\(row.query)' wants \(telephony) \(reference.flightNumber); got "
                        + result.callsigns.prefix(rank).map { "\($0.telephony) \($0.flightNumber)" }.joined(separator: ", "))
                }
            } else if misses < showMisses {
                misses += 1
                print("miss: '\(row.query)' wants \(telephony) \(reference.flightNumber); got "
                    + result.callsigns.prefix(5).map { "\($0.telephony) \($0.flightNumber)" }.joined(separator: ", "))
            }
        }
        let recalls = zip(ks, callsignFound).map { String(format: "@%d %.3f", $0, Double($1) / Double(max(withCallsign, 1))) }
        print("callsigns (\(callsignMode.rawValue)): recall \(recalls.joined(separator: "  ")) (n=\(withCallsign) rows with a telephony callsign; "
            + "\(registrations) registrations not counted)")
        print("all \(rows.count) rows, \(callsignMode.rawValue): " + Self.latencyText(latencies))
    }

    static func latencyText(_ milliseconds: [Double]) -> String {
        guard !milliseconds.isEmpty else { return "no timings" }
        let sorted = milliseconds.sorted()
        return String(format: "retrieve median %.2f ms, p90 %.2f ms", sorted[sorted.count / 2],
                      sorted[min(sorted.count - 1, sorted.count * 9 / 10)])
    }
}
