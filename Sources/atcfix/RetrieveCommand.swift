import ArgumentParser
import Foundation
import Retrieval

/// `atcfix retrieve`: exemplar phrases, callsign candidates and noisy pairs for transcripts.
struct RetrieveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrieve",
        abstract: "Retrieve exemplar phrases, callsign candidates and noisy pairs for a transcript.",
        discussion: CommandHelp.discussion(
            """
            Give the transcript as an argument, or one transcript per line on standard input (the \
            model and index load once; the index is opened read-only). --json prints one JSON \
            object per input line with keys exemplars, callsigns, pairs (and note when a \
            transcript retrieves nothing), the same shape as correct --json's retrieval.
            """,
            examples: [
                "atcfix retrieve 'lufthansa four three nine three descend'",
                "atcfix retrieve --retrieval lexical --k 10 --json < transcripts.txt",
            ])
    )

    @Argument(help: "The transcript (omit to read lines from standard input).")
    var transcript: String?

    @Option(help: "The index directory (default: ATCFIX_INDEX, else the data directory's or checkout's indexes/default).")
    var index = Defaults.indexPath

    @Option(help: "Results per list (1...64).")
    var k = 5

    @Option(help: "Retrieval: hybrid, dense or lexical.")
    var retrieval: String = RetrievalMode.hybrid.rawValue

    @Flag(help: "JSON Lines output.")
    var json = false

    @Option(help: "The GGUF model the index was embedded with, for dense and hybrid retrieval (default: ATCFIX_MODEL, else the data directory's or checkout's models/; the embedding settings are read from the index).")
    var model = Defaults.modelPath

    @Option(help: "Threads for the query embedding (1...256).")
    var threads = 2

    func validate() throws {
        try OptionCheck.range("--k", k, 1...64)
        guard let mode = RetrievalMode(rawValue: retrieval) else {
            throw ValidationError("--retrieval must be hybrid, dense or lexical (got '\(retrieval)')")
        }
        try OptionCheck.range("--threads", threads, 1...256)
        if mode != .lexical, !FileManager.default.fileExists(atPath: model) {
            throw ValidationError("--model: no model file at \(model); run scripts/setup/fetch-model.sh "
                + "(it fills the data directory), set ATCFIX_MODEL, pass --model FILE, or use --retrieval lexical")
        }
    }

    func run() throws {
        let mode = RetrievalMode(rawValue: retrieval)!
        let retriever = try Retriever(directory: URL(fileURLWithPath: index),
                                      modelPath: mode == .lexical ? nil : model, threads: threads)
        if let transcript {
            try show(transcript, retriever.retrieve(transcript, k: k, mode: mode))
        } else {
            var lines = StandardInputLines()
            while let line = lines.next() {
                if !line.isValidUTF8 {
                    standardError("atcfix retrieve: standard input line \(line.number) is not valid UTF-8 (bad bytes replaced); "
                        + "re-encode the input as UTF-8 (e.g. iconv -f latin1 -t utf-8)")
                }
                try show(line.text, retriever.retrieve(line.text, k: k, mode: mode))
                fflush(nil)
            }
        }
    }

    private func show(_ transcript: String, _ result: RetrievalResult) throws {
        if json {
            try JSONOutput.print(RetrievalOutput(result))
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
