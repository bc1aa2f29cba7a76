import ArgumentParser
import ATCText
import Corrector
import Dispatch
import Foundation

/// `atcfix correct`: corrects transcripts given as an argument or as lines on stdin.
struct CorrectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: "Correct Whisper transcripts of ATC speech (one per line).",
        discussion: """
            Prints each corrected transcript in readable form (lowercase words, numbers as \
            digit groups, frequencies with a dot), one line per input line. Without a \
            TRANSCRIPT argument, reads lines from standard input and loads the index once.
            """
    )

    @OptionGroup var engine: EngineOptions

    @Argument(help: "The transcript; omit to read lines from standard input.")
    var transcript: String?

    @Flag(help: "Print one JSON object per line (keys: input, corrected, heard, tokens, notes, retrieval, candidates, diff, milliseconds).")
    var json = false

    @Flag(help: "Show how the transcript was read, the retrieved callsigns and exemplars, the candidates weighed and a coloured word diff.")
    var explain = false

    func run() throws {
        let corrector = try reportingErrors("correct") { try engine.loadCorrector() }
        let colour = isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        func handle(_ line: String) throws {
            let start = DispatchTime.now().uptimeNanoseconds
            let correction = try reportingErrors("correct") { try corrector.correct(line) }
            let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            if json {
                print(Self.json(correction, milliseconds: milliseconds))
            } else {
                print(correction.readable)
                if explain { print(Self.explanation(correction, colour: colour)) }
            }
        }
        if let transcript {
            try handle(transcript)
        } else {
            // One answer per line as soon as it is ready, also into a pipe (a program talking to us).
            while let line = readLine(strippingNewline: true) {
                try handle(line)
                fflush(nil)
            }
        }
    }

    /// The `--explain` block printed under a corrected line.
    static func explanation(_ correction: Correction, colour: Bool) -> String {
        var lines = ["  heard:      \(correction.heard.joined(separator: " "))"]
        if let retrieval = correction.retrieval {
            for candidate in retrieval.callsigns {
                lines.append("  callsign:   \(String(format: "%6.3f", candidate.score))  \(candidate.spoken)")
            }
            for hit in retrieval.hits {
                lines.append("  exemplar:   \(String(format: "%6.3f", hit.score))  \(hit.text)  (\(hit.source.rawValue))")
            }
            for pair in retrieval.pairs {
                lines.append("  pair:       \(pair.hypothesisCanonical) → \(pair.referenceCanonical)")
            }
            if let note = retrieval.note { lines.append("  retrieval:  \(note)") }
        }
        for candidate in correction.candidates {
            let mark = candidate.words == correction.corrected ? "*" : " "
            lines.append("  candidate: \(mark)\(String(format: "%8.2f", candidate.score))  \(ATCNormalizer.readable(tokens: candidate.words.tokens))")
        }
        lines.append("  diff:       \(WordDiff.render(from: correction.heard.tokens, to: correction.corrected.tokens, colour: colour))")
        for note in correction.notes { lines.append("  note:       \(note)") }
        return lines.joined(separator: "\n")
    }

    static func json(_ correction: Correction, milliseconds: Double) -> String {
        var object: [String: Any] = [
            "milliseconds": milliseconds,
            "input": correction.input,
            "corrected": correction.readable,
            "heard": correction.heard.joined(separator: " "),
            "tokens": correction.corrected.tokens,
            "notes": correction.notes,
            "candidates": correction.candidates.map { ["text": ATCNormalizer.readable(tokens: $0.words.tokens), "score": $0.score] },
            "diff": WordDiff.render(from: correction.heard.tokens, to: correction.corrected.tokens, colour: false),
        ]
        if let retrieval = correction.retrieval {
            object["retrieval"] = [
                "callsigns": retrieval.callsigns.map { ["callsign": $0.spoken, "score": $0.score] },
                "exemplars": retrieval.hits.map { ["text": $0.text, "score": $0.score, "source": $0.source.rawValue] },
                "pairs": retrieval.pairs.map { ["hypothesis": $0.hypothesis, "reference": $0.referenceCanonical] },
            ] as [String: Any]
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
