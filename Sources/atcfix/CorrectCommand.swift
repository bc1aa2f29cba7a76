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
        discussion: CommandHelp.discussion(
            """
            Prints each corrected transcript in readable form (lowercase words, numbers as \
            digit groups, frequencies with a dot), one line per input line. Without a \
            TRANSCRIPT argument, reads lines from standard input and loads the index once; a \
            line that is not valid UTF-8 is corrected with its bad bytes replaced, reported on \
            stderr (and in --json notes as invalid_utf8), and makes the exit status 2. The index \
            is opened read-only.
            """,
            examples: [
                "atcfix correct 'lufthansa four three nine three descend flight level one two zero'",
                "atcfix correct --llm none --json 'swiss two three one contact zurich'",
                "atcfix correct --explain < transcripts.txt",
                "ATCFIX_INDEX=~/indexes/atc atcfix correct --context callsigns.txt < transcripts.txt",
            ])
    )

    @OptionGroup var engine: EngineOptions

    @Argument(help: "The transcript; omit to read lines from standard input.")
    var transcript: String?

    @Flag(help: "Print one JSON object per line (keys: input, corrected, heard, tokens, notes, retrieval {exemplars, callsigns, pairs}, candidates {text, score, chosen}, diff, milliseconds).")
    var json = false

    @Flag(help: "Show how the transcript was read, the retrieved callsigns and exemplars, the candidates weighed and a coloured word diff.")
    var explain = false

    func run() throws {
        let corrector = try engine.loadCorrector()
        let colour = isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        func handle(_ line: String, extraNotes: [String] = []) throws {
            let start = DispatchTime.now().uptimeNanoseconds
            let correction = try corrector.correct(line)
            let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            if json {
                try JSONOutput.print(CorrectionOutput(correction, milliseconds: milliseconds, extraNotes: extraNotes))
            } else {
                print(correction.readable)
                if explain { print(Self.explanation(correction, colour: colour)) }
            }
        }
        if let transcript {
            try handle(transcript)
            return
        }
        // One answer per line as soon as it is ready, also into a pipe (a program talking to us).
        var lines = StandardInputLines()
        var invalidLines = 0
        while let line = lines.next() {
            var notes: [String] = []
            if !line.isValidUTF8 {
                invalidLines += 1
                notes.append("invalid_utf8: input line \(line.number) is not valid UTF-8; bad bytes were replaced by U+FFFD")
                standardError("atcfix correct: standard input line \(line.number) is not valid UTF-8 (bad bytes replaced); "
                    + "re-encode the input as UTF-8 (e.g. iconv -f latin1 -t utf-8)")
            }
            try handle(line.text, extraNotes: notes)
            fflush(nil)
        }
        if invalidLines > 0 { throw ExitCode(CommandFailure.badInput) }
    }

    /// The `--explain` block printed under a corrected line.
    static func explanation(_ correction: Correction, colour: Bool) -> String {
        var lines = ["  heard:      \(correction.heard.text)"]
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
}
