import ATCText
import CSVIO
import Dispatch
import Foundation

/// Corrects a CSV of transcripts row by row, keeping every input column and row in order.
///
/// Output columns: the input's, then `corrected_text`, then `wer_before` and `wer_after` when a
/// reference column is named, then `error` (empty unless that row failed; the batch goes on).
/// Records go to a checkpoint beside the output (``CSVWriter/resumable(url:header:resume:recovered:)``)
/// which is renamed over the output only when every row is done, so the output is written
/// atomically and `resume` continues an interrupted run without redoing rows.
///
/// Rows are corrected in parallel but written in input order, each as soon as every row
/// before it is done, and handed to the operating system at once: a killed run loses only
/// the rows still being corrected (at most ``chunkSize``). Memory stays flat: rows are read
/// as workers take them.
public struct BatchJob: Sendable {
    /// Where the rows come from and go to.
    public var input: URL
    /// The output CSV.
    public var output: URL
    /// The column holding the Whisper transcript.
    public var textColumn: String
    /// The column holding the reference transcript, for per-row and corpus WER.
    public var referenceColumn: String?
    /// Continue an interrupted run from its checkpoint.
    public var resume: Bool
    /// Rows read ahead of the last one written, at most (bounds the work a kill can lose).
    public var chunkSize: Int
    /// Write straight to `output` (a path, or `-` for standard output) instead of atomically
    /// through a checkpoint: for standard output and devices the user chose; no `resume`.
    public var streamsOutput = false
    /// Rows corrected at the same time.
    public var workers: Int

    /// A job over the given files and columns.
    public init(input: URL, output: URL, textColumn: String = "whisper_text", referenceColumn: String? = nil,
                resume: Bool = false, chunkSize: Int = 32) {
        self.input = input
        self.output = output
        self.textColumn = textColumn
        self.referenceColumn = referenceColumn
        self.resume = resume
        self.chunkSize = max(1, chunkSize)
        self.workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// What a finished batch reports.
    public struct Summary: Sendable {
        /// Rows in the output.
        public var rows = 0
        /// Rows carried over from an earlier run's checkpoint.
        public var resumedRows = 0
        /// Rows whose correction failed or whose input was damaged (their `error` column says why).
        public var failedRows = 0
        /// Corpus WER of the input transcripts against the references, if a reference column was named.
        public var before: CorpusWER?
        /// Corpus WER of the corrected transcripts against the references.
        public var after: CorpusWER?
    }

    /// Rows in the input (one streaming pass), for a progress bar's total.
    public func countRows() throws -> Int {
        let reader = try CSVReader(url: input, repairsInvalidUTF8: true)
        var count = 0
        while try reader.next() != nil { count += 1 }
        return count
    }

    /// Fails unless the output can be written: its directory exists and accepts a new file,
    /// and the output path is not a directory. Call it before loading the engine, so a typo
    /// in `--out` costs nothing.
    public func checkOutputWritable() throws(CSVError) {
        if streamsOutput { return }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: output.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw CSVError(file: output.path, line: nil, kind: .cannotWrite(reason: "it is a directory; give a file path for --out"))
        }
        let directory = output.deletingLastPathComponent()
        let probe = directory.appendingPathComponent(".\(output.lastPathComponent).probe.\(getpid())")
        let descriptor = open(probe.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw CSVError(file: output.path, line: nil, kind: .cannotWrite(
                reason: "cannot create a file in \(directory.path) (\(reason)); check that the directory exists and is writable"))
        }
        close(descriptor)
        unlink(probe.path)
    }

    /// Runs the batch. `progress` is called with the number of rows written so far, after
    /// each row; throwing from it stops the run, leaving the checkpoint for `resume`.
    public func run(with corrector: some TranscriptCorrector, progress: (Int) throws -> Void = { _ in }) throws -> Summary {
        let reader = try CSVReader(url: input, repairsInvalidUTF8: true)
        let textIndex = try reader.column(named: textColumn)
        let referenceIndex = try referenceColumn.map { name throws(CSVError) in try reader.column(named: name) }
        let added = ["corrected_text"] + (referenceIndex == nil ? [] : ["wer_before", "wer_after"]) + ["error"]
        if let clash = added.first(where: reader.header.contains) {
            throw CSVError(file: input.path, line: 1, kind: .cannotRead(
                reason: "the input already has a column '\(clash)', which the batch adds; rename it"))
        }
        var summary = Summary()
        if referenceIndex != nil {
            summary.before = CorpusWER(keepingRows: false)
            summary.after = CorpusWER(keepingRows: false)
        }
        let width = reader.header.count
        var recovered: [[String]] = []
        // The writer is created before any work, so an unwritable output fails at once.
        let writer: CSVWriter
        if streamsOutput {
            writer = try CSVWriter.streaming(to: output.path == "/dev/stdout" ? "-" : output.path, header: reader.header + added)
        } else {
            writer = try CSVWriter.resumable(url: output, header: reader.header + added, resume: resume) { recovered.append($0) }
        }
        for record in recovered {
            guard let row = try reader.next(), row.fields == Array(record.prefix(width)) else {
                throw CSVError(file: CSVWriter.checkpointURL(for: output).path, line: summary.rows + 2, kind: .cannotRead(
                    reason: "the checkpoint does not match the input at this row; run without --resume to start over"))
            }
            if let referenceIndex {
                _ = summary.before?.add(reference: row.fields[referenceIndex], hypothesis: row.fields[textIndex])
                _ = summary.after?.add(reference: row.fields[referenceIndex], hypothesis: record[width])
            }
            if !record[record.count - 1].isEmpty { summary.failedRows += 1 }
            summary.rows += 1
        }
        summary.resumedRows = summary.rows
        recovered = []
        try progress(summary.rows)

        let pipeline = BatchPipeline(reader: reader, writer: writer, summary: summary, window: chunkSize)
        let header = reader.header
        try withoutActuallyEscaping(progress) { progress in
            let box = UncheckedSendable(progress)
            var lastSync = Date()
            pipeline.commit = { record, result, summary throws in
                let fields = Self.outputFields(record, result, header: header, textIndex: textIndex,
                                               referenceIndex: referenceIndex, summary: &summary)
                try writer.write(fields)
                // Every row reaches the OS at once (a killed process loses none of them); an
                // fsync every few seconds bounds what a power loss can take.
                if Date().timeIntervalSince(lastSync) >= Self.syncInterval {
                    try writer.checkpoint()
                    lastSync = Date()
                } else {
                    try writer.flush()
                }
                try box.value(summary.rows)
            }
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while let (sequence, record) = pipeline.take() {
                    let result = Self.correct(record, textIndex: textIndex, with: corrector)
                    pipeline.finish(sequence, record, result)
                }
            }
            pipeline.commit = nil
        }
        if let failure = pipeline.failure { throw failure }
        try writer.finish()
        return pipeline.summary
    }

    /// The output record of one corrected row, counted into `summary`.
    private static func outputFields(
        _ record: CSVRecord, _ result: Result<Correction, RowFailure>, header: [String], textIndex: Int,
        referenceIndex: Int?, summary: inout Summary
    ) -> [String] {
        var fields = record.fields
        var corrected = ""
        var error = ""
        switch result {
        case .success(let correction): corrected = correction.readable
        case .failure(let failure): error = failure.description
        }
        // A damaged field elsewhere in the row is reported, never passed on silently.
        let damaged = record.invalidUTF8Columns.filter { $0 != textIndex }
        if !damaged.isEmpty, error.isEmpty {
            error = "line \(record.line): invalid_utf8 in column " + damaged.map { "'\(header[$0])'" }.joined(separator: ", ")
                + " (bytes replaced with U+FFFD); re-encode the input as UTF-8 (e.g. iconv -f latin1 -t utf-8)"
        }
        fields.append(corrected)
        if let referenceIndex {
            let before = summary.before!.add(reference: record.fields[referenceIndex], hypothesis: record.fields[textIndex])
            let after = summary.after!.add(reference: record.fields[referenceIndex], hypothesis: corrected)
            fields.append(format(before.wer))
            fields.append(format(after.wer))
        }
        fields.append(error)
        if !error.isEmpty { summary.failedRows += 1 }
        summary.rows += 1
        return fields
    }

    private static func correct(_ record: CSVRecord, textIndex: Int, with corrector: some TranscriptCorrector) -> Result<Correction, RowFailure> {
        if record.invalidUTF8Columns.contains(textIndex) {
            return .failure(RowFailure(description: "line \(record.line): invalid_utf8: the transcript is not valid UTF-8 text; "
                + "re-encode the input as UTF-8 (e.g. iconv -f latin1 -t utf-8)"))
        }
        do {
            return .success(try corrector.correct(record.fields[textIndex]))
        } catch {
            return .failure(RowFailure(description: "line \(record.line): \(error)"))
        }
    }

    /// Seconds between fsyncs of the checkpoint.
    static let syncInterval: TimeInterval = 2

    private static func format(_ wer: Double) -> String {
        wer.isFinite ? String(format: "%.4f", wer) : ""
    }
}

/// Why one row of a batch has no correction; the message goes into its `error` column.
public struct RowFailure: Error, Sendable, CustomStringConvertible {
    /// The message, naming the input line.
    public var description: String
}

/// A value shared with the batch's workers that is only ever used under the pipeline's lock.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// The batch's shared state: workers take rows in order, and each finished row is committed
/// (written) as soon as every row before it is — all under one lock, so the reader, the
/// writer and the summary are only ever touched by one thread at a time.
private final class BatchPipeline: @unchecked Sendable {
    typealias Commit = (CSVRecord, Result<Correction, RowFailure>, inout BatchJob.Summary) throws -> Void

    private let condition = NSCondition()
    private let reader: CSVReader
    private let window: Int
    private var nextSequence = 0
    private var nextToCommit = 0
    private var done: [Int: (CSVRecord, Result<Correction, RowFailure>)] = [:]
    private var exhausted = false
    private(set) var summary: BatchJob.Summary
    private(set) var failure: (any Error)?
    /// Writes one committed row; set for the duration of the run.
    var commit: Commit?

    init(reader: CSVReader, writer: CSVWriter, summary: BatchJob.Summary, window: Int) {
        self.reader = reader
        self.summary = summary
        self.window = window
    }

    /// The next row to correct with its sequence number, or nil when there is none (end of
    /// input, or the run failed). Waits while `window` rows are read but not yet written.
    func take() -> (Int, CSVRecord)? {
        condition.lock()
        defer { condition.unlock() }
        while !exhausted && failure == nil && nextSequence - nextToCommit >= window { condition.wait() }
        guard !exhausted, failure == nil else { return nil }
        do {
            guard let record = try reader.next() else {
                exhausted = true
                condition.broadcast()
                return nil
            }
            nextSequence += 1
            return (nextSequence - 1, record)
        } catch {
            failure = error
            exhausted = true
            condition.broadcast()
            return nil
        }
    }

    /// Records a corrected row and commits every row now complete in order.
    func finish(_ sequence: Int, _ record: CSVRecord, _ result: Result<Correction, RowFailure>) {
        condition.lock()
        defer { condition.unlock() }
        done[sequence] = (record, result)
        while failure == nil, let (record, result) = done.removeValue(forKey: nextToCommit) {
            do {
                try commit?(record, result, &summary)
                nextToCommit += 1
            } catch {
                failure = error
            }
        }
        condition.broadcast()
    }
}
