import ArgumentParser
import ATCText
import Corrector
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

    @Flag(help: "Print one JSON object per line (keys: input, corrected, heard, tokens, notes).")
    var json = false

    @Flag(help: "Show how the transcript was read and what changed, with a coloured word diff.")
    var explain = false

    func run() throws {
        let corrector = try reportingErrors("correct") { try engine.loadCorrector() }
        let colour = isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        func handle(_ line: String) throws {
            let correction = try reportingErrors("correct") { try corrector.correct(line) }
            if json {
                print(Self.json(correction))
            } else {
                print(correction.readable)
                if explain {
                    print("  heard: \(correction.heard.joined(separator: " "))")
                    print("  diff:  \(WordDiff.render(from: correction.heard, to: correction.corrected, colour: colour))")
                    for note in correction.notes { print("  note:  \(note)") }
                }
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

    static func json(_ correction: Correction) -> String {
        let object: [String: Any] = [
            "input": correction.input,
            "corrected": correction.readable,
            "heard": correction.heard.joined(separator: " "),
            "tokens": correction.corrected,
            "notes": correction.notes,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
