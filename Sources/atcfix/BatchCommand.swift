import ArgumentParser
import ATCText
import Corrector
import Foundation

/// `atcfix batch`: corrects a CSV column of transcripts, keeping every row and column.
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Correct a CSV of transcripts; adds corrected_text (and per-row WER with --ref-column).",
        discussion: """
            Keeps every input column and row in order and adds corrected_text, wer_before and \
            wer_after (with --ref-column) and error (empty unless that row failed; the batch \
            goes on). The output appears atomically when all rows are done; an interrupted run \
            leaves a checkpoint beside it that --resume continues from.
            """
    )

    @OptionGroup var engine: EngineOptions

    @Option(name: .customLong("in"), help: "Input CSV with a header line.")
    var input: String

    @Option(name: .customLong("out"), help: "Output CSV (written atomically).")
    var output: String

    @Option(help: "Column with the Whisper transcript.")
    var textColumn: String = "whisper_text"

    @Option(help: "Column with the reference transcript, for WER before and after.")
    var refColumn: String?

    @Flag(help: "Continue an interrupted run from its checkpoint instead of starting over.")
    var resume = false

    @Flag(help: "Print the summary as one JSON object.")
    var json = false

    func run() throws {
        let job = BatchJob(input: URL(fileURLWithPath: input), output: URL(fileURLWithPath: output),
                           textColumn: textColumn, referenceColumn: refColumn, resume: resume)
        // An output that cannot be written fails before the engine is loaded or a row is read.
        try reportingErrors("batch") { try job.checkOutputWritable() }
        let total = try reportingErrors("batch") { try job.countRows() }
        let corrector = try reportingErrors("batch") { try engine.loadCorrector(threadsPerSession: 1) }
        let start = Date()
        let progress = ProgressBar()
        let summary = try reportingErrors("batch") {
            try job.run(with: corrector) { progress.update(phase: "batch", done: $0, total: total) }
        }
        let seconds = Date().timeIntervalSince(start)
        if json {
            var object: [String: Any] = [
                "rows": summary.rows, "resumed_rows": summary.resumedRows, "failed_rows": summary.failedRows,
                "seconds": seconds, "out": output,
            ]
            if let before = summary.before, let after = summary.after {
                object["wer_before"] = before.wer
                object["wer_after"] = after.wer
                object["ref_words"] = before.total.referenceWords
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("\(summary.rows) rows (\(summary.resumedRows) resumed, \(summary.failedRows) failed) → \(output)"
                + " in \(String(format: "%.1f", seconds)) s")
            if let before = summary.before, let after = summary.after {
                print(String(format: "corpus WER before %.2f%%, after %.2f%% (%d reference words)",
                             100 * before.wer, 100 * after.wer, before.total.referenceWords))
            }
        }
    }
}
