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
/// atomically and `resume` continues an interrupted run without redoing rows. Rows are read,
/// corrected (in parallel, a chunk at a time) and written in a stream: memory stays flat.
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
    /// Rows corrected concurrently per chunk.
    public var chunkSize: Int

    /// A job over the given files and columns.
    public init(input: URL, output: URL, textColumn: String = "whisper_text", referenceColumn: String? = nil,
                resume: Bool = false, chunkSize: Int = 32) {
        self.input = input
        self.output = output
        self.textColumn = textColumn
        self.referenceColumn = referenceColumn
        self.resume = resume
        self.chunkSize = max(1, chunkSize)
    }

    /// What a finished batch reports.
    public struct Summary: Sendable {
        /// Rows in the output.
        public var rows = 0
        /// Rows carried over from an earlier run's checkpoint.
        public var resumedRows = 0
        /// Rows whose correction failed (their `error` column says why).
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

    /// Runs the batch. `progress` is called with the number of rows done so far; throwing
    /// from it stops the run, leaving the checkpoint for `resume`.
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
        let writer = try CSVWriter.resumable(url: output, header: reader.header + added, resume: resume) { recovered.append($0) }
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

        var chunk: [CSVRecord] = []
        func flush() throws {
            let results = Self.correctConcurrently(chunk, textIndex: textIndex, with: corrector)
            for (record, result) in zip(chunk, results) {
                var fields = record.fields
                var corrected = ""
                var error = ""
                switch result {
                case .success(let correction): corrected = correction.readable
                case .failure(let failure): error = failure.description
                }
                fields.append(corrected)
                if let referenceIndex {
                    let before = summary.before!.add(reference: record.fields[referenceIndex], hypothesis: record.fields[textIndex])
                    let after = summary.after!.add(reference: record.fields[referenceIndex], hypothesis: corrected)
                    fields.append(Self.format(before.wer))
                    fields.append(Self.format(after.wer))
                }
                fields.append(error)
                if !error.isEmpty { summary.failedRows += 1 }
                try writer.write(fields)
                summary.rows += 1
            }
            try writer.checkpoint()
            try progress(summary.rows)
            chunk.removeAll(keepingCapacity: true)
        }
        while let record = try reader.next() {
            chunk.append(record)
            if chunk.count == chunkSize { try flush() }
        }
        if !chunk.isEmpty { try flush() }
        try writer.finish()
        return summary
    }

    private static func correctConcurrently(_ chunk: [CSVRecord], textIndex: Int, with corrector: some TranscriptCorrector) -> [Result<Correction, RowFailure>] {
        let results = ResultSlots(count: chunk.count)
        DispatchQueue.concurrentPerform(iterations: chunk.count) { index in
            let record = chunk[index]
            if record.invalidUTF8Columns.contains(textIndex) {
                results.set(index, .failure(RowFailure(description: "line \(record.line): the transcript is not valid UTF-8 text")))
                return
            }
            do {
                results.set(index, .success(try corrector.correct(record.fields[textIndex])))
            } catch {
                results.set(index, .failure(RowFailure(description: "line \(record.line): \(error)")))
            }
        }
        return results.values
    }

    private static func format(_ wer: Double) -> String {
        wer.isFinite ? String(format: "%.4f", wer) : ""
    }
}

/// Why one row of a batch has no correction; the message goes into its `error` column.
public struct RowFailure: Error, Sendable, CustomStringConvertible {
    /// The message, naming the input line.
    public var description: String
}

/// One result slot per row, filled from concurrent workers.
private final class ResultSlots: @unchecked Sendable {
    // Each slot is written by exactly one worker and read only after concurrentPerform has
    // returned, so no two threads ever touch the same memory.
    private let slots: UnsafeMutableBufferPointer<Result<Correction, RowFailure>?>
    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }
    deinit {
        slots.deinitialize()
        slots.deallocate()
    }
    func set(_ index: Int, _ value: Result<Correction, RowFailure>) { slots[index] = value }
    var values: [Result<Correction, RowFailure>] { slots.map { $0! } }
}
