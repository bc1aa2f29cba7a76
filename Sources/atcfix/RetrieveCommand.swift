import ArgumentParser
import Foundation
import Retrieval

/// `atcfix retrieve`: exemplar phrases, callsign candidates and noisy pairs for transcripts.
struct RetrieveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrieve",
        abstract: "Retrieve exemplar phrases, callsign candidates and noisy pairs for a transcript.",
        discussion: """
            Give the transcript as an argument, or one transcript per line on standard input (the \
            model and index load once). --json prints one JSON object per input line with keys \
            hits, callsigns, pairs (and note when a transcript retrieves nothing).
            """
    )

    @Argument(help: "The transcript (omit to read lines from standard input).")
    var transcript: String?

    @Option(help: "The index directory.")
    var index = "indexes/default"

    @Option(help: "Results per list.")
    var k = 5

    @Option(help: "hybrid, dense or lexical.")
    var mode: String = RetrievalMode.hybrid.rawValue

    @Flag(help: "JSON Lines output.")
    var json = false

    @Option(help: "The GGUF model the index was embedded with (dense and hybrid; its embedding settings are read from the index).")
    var model = "models/SmolLM2-135M-Instruct.Q4_1.gguf"

    @Option(help: "Threads for the query embedding.")
    var threads = 2

    func validate() throws {
        guard k > 0 else { throw ValidationError("--k must be positive") }
        guard RetrievalMode(rawValue: mode) != nil else { throw ValidationError("--mode must be hybrid, dense or lexical") }
    }

    func run() throws {
        let mode = RetrievalMode(rawValue: mode)!
        let retriever = try Retriever(directory: URL(fileURLWithPath: index),
                                      modelPath: mode == .lexical ? nil : model, threads: threads)
        if let transcript {
            try show(transcript, retriever.retrieve(transcript, k: k, mode: mode))
        } else {
            while let line = readLine() {
                try show(line, retriever.retrieve(line, k: k, mode: mode))
            }
        }
    }

    private func show(_ transcript: String, _ result: RetrievalResult) throws {
        if json {
            let object = RetrievalJSON(result)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(object), as: UTF8.self))
            return
        }
        print("transcript: \(transcript)")
        if let note = result.note { print("  note: \(note)") }
        for (rank, hit) in result.hits.enumerated() {
            print(String(format: "  %d. %.4f %-7@ %@", rank + 1, hit.score, hit.source.rawValue, hit.text))
        }
        if !result.callsigns.isEmpty {
            print("  callsigns: " + result.callsigns.map {
                String(format: "%@ %@ (%.2f)", $0.telephony, $0.flightNumber.isEmpty ? "-" : $0.flightNumber, $0.score)
            }.joined(separator: ", "))
        }
        for pair in result.pairs {
            print("  pair: \(pair.hypothesis.trimmingCharacters(in: .whitespaces)) → \(pair.referenceCanonical)")
        }
    }
}

/// The JSON shape of one result line.
struct RetrievalJSON: Encodable {
    struct Hit: Encodable {
        var text: String
        var canonical: String
        var score: Double
        var source: String
    }

    struct Callsign: Encodable {
        var telephony: String
        var flightNumber: String
        var spoken: String
        var score: Double
    }

    struct Pair: Encodable {
        var hypothesis: String
        var reference: String
        var occurrences: Int
    }

    var hits: [Hit]
    var callsigns: [Callsign]
    var pairs: [Pair]
    var note: String?

    init(_ result: RetrievalResult) {
        hits = result.hits.map { Hit(text: $0.text, canonical: $0.canonical.text, score: $0.score,
                                     source: $0.source.rawValue) }
        callsigns = result.callsigns.map { Callsign(telephony: $0.telephony, flightNumber: $0.flightNumber,
                                                    spoken: $0.spoken, score: $0.score) }
        pairs = result.pairs.map { Pair(hypothesis: $0.hypothesisCanonical, reference: $0.referenceCanonical,
                                        occurrences: $0.occurrences) }
        note = result.note
    }
}
