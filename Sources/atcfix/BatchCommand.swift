import ArgumentParser
import ATCText
import CSVIO
import Corrector
import Foundation

/// `atcfix batch`: corrects a CSV column of transcripts, keeping every row and column.
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Correct a CSV of transcripts; adds corrected_text (and per-row WER with --ref-column).",
        discussion: CommandHelp.discussion(
            """
            Keeps every input column and row in order and adds corrected_text, wer_before and \
            wer_after (with --ref-column) and error (empty unless that row failed or its input was \
            damaged, e.g. invalid_utf8; the batch goes on). Rows are written in order as each is \
            done, to a checkpoint beside the output that becomes the output atomically when every \
            row is done: an interrupted run loses only the rows in progress, and --resume continues \
            from the checkpoint. --out - streams to standard output instead. An existing symbolic \
            link, device or pipe as --out is refused unless --force; the input itself always is. \
            Exits 2 when any row failed, unless --allow-failures.
            """,
            examples: [
                "atcfix batch --in calls.csv --out calls.corrected.csv",
                "atcfix batch --in test.csv --out test.corrected.csv --ref-column correct_text --json",
                "atcfix batch --in calls.csv --out calls.corrected.csv --resume   # after an interruption",
                "atcfix batch --in calls.csv --out - --llm none | head",
            ])
    )

    @OptionGroup var engine: EngineOptions

    @Option(name: .customLong("in"), help: "Input CSV with a header line.")
    var input: String

    @Option(name: .customLong("out"), help: "Output CSV (written atomically), or - for standard output.")
    var output: String

    @Option(help: "Column with the Whisper transcript.")
    var textColumn: String = "whisper_text"

    @Option(help: "Column with the reference transcript, for WER before and after.")
    var refColumn: String?

    @Flag(help: "Continue an interrupted run from its checkpoint instead of starting over.")
    var resume = false

    @Flag(help: "Exit 0 even when some rows failed (their error column says why).")
    var allowFailures = false

    @Flag(help: "Write --out even when it is a symbolic link (replacing the file it points to) or a device or pipe (written directly).")
    var force = false

    @Flag(help: "Print the summary as one JSON object (keys: rows, resumed_rows, failed_rows, seconds, out, wer_before, wer_after, ref_words).")
    var json = false

    func validate() throws {
        let target = try outputTarget()
        if resume && target.isStreamed {
            throw ValidationError("--resume needs a file as --out (a checkpoint cannot be kept for \(output))")
        }
        if refColumn == textColumn {
            throw ValidationError("--ref-column and --text-column are both '\(textColumn)'; the reference must be another column")
        }
    }

    private func outputTarget() throws -> OutputTarget {
        do {
            return try OutputTarget.check(output, inputs: [input], force: force)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The summary, shaped for `--json`.
    struct Summary: Encodable {
        var rows: Int
        var resumedRows: Int
        var failedRows: Int
        var seconds: Double?
        var out: String
        var werBefore: Double?
        var werAfter: Double?
        var refWords: Int?
    }

    func run() throws {
        let target = try outputTarget()
        let outputURL = target == .standardOutput ? URL(fileURLWithPath: "/dev/stdout") : URL(fileURLWithPath: target.path)
        var job = BatchJob(input: URL(fileURLWithPath: input), output: outputURL,
                           textColumn: textColumn, referenceColumn: refColumn, resume: resume)
        job.streamsOutput = target.isStreamed
        // An output that cannot be written fails before the engine is loaded or a row is read.
        try job.checkOutputWritable()
        let total = try job.countRows()
        let corrector = try engine.loadCorrector(threadsPerSession: 1)
        let start = Date()
        let progress = ProgressBar()
        let summary = try job.run(with: corrector) { progress.update(phase: "batch", done: $0, total: total) }
        let seconds = Date().timeIntervalSince(start)
        // With --out -, the rows are on stdout: the summary goes to stderr.
        func say(_ line: String) {
            if target.isStreamed { standardError(line) } else { print(line) }
        }
        if json {
            say(try JSONOutput.line(Summary(
                rows: summary.rows, resumedRows: summary.resumedRows, failedRows: summary.failedRows,
                seconds: JSONOutput.score(seconds), out: output,
                werBefore: summary.before.flatMap { JSONOutput.score($0.wer) },
                werAfter: summary.after.flatMap { JSONOutput.score($0.wer) },
                refWords: summary.before?.total.referenceWords)))
        } else {
            say("\(summary.rows) rows (\(summary.resumedRows) resumed, \(summary.failedRows) failed) → \(output)"
                + " in \(String(format: "%.1f", seconds)) s")
            if let before = summary.before, let after = summary.after {
                say(String(format: "corpus WER before %.2f%%, after %.2f%% (%d reference words)",
                           100 * before.wer, 100 * after.wer, before.total.referenceWords))
            }
        }
        if summary.failedRows > 0 && !allowFailures {
            standardError("atcfix batch: \(summary.failedRows) of \(summary.rows) rows failed (see their error column in \(output)); "
                + "pass --allow-failures to exit 0 anyway")
            throw ExitCode(CommandFailure.badInput)
        }
    }
}
