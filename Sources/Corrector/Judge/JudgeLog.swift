import ATCText
import Foundation
import Synchronization

/// A tuning aid: with `ATCFIX_JUDGE_LOG=FILE` in the environment, every transcript the
/// language-model corrector handles appends one JSON line to FILE — the input and each
/// candidate's words, decoder score and model log-probability — so the combination weight and
/// margin can be swept offline from one model pass (`scripts/tuning/tune-judge.py`).
final class JudgeLog: Sendable {
    /// The log named by the environment, if any.
    static let shared: JudgeLog? = ProcessInfo.processInfo.environment["ATCFIX_JUDGE_LOG"].flatMap { JudgeLog(path: $0) }

    private let handle: Mutex<FileHandle>

    private init?(path: String) {
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else { return nil }
        handle.seekToEndOfFile()
        self.handle = Mutex(handle)
    }

    func record(input: String, heard: CanonicalTranscript, judged: [JudgedCandidate]) {
        let object: [String: Any] = [
            "input": input,
            "heard": heard.text,
            "candidates": judged.map {
                ["words": $0.candidate.words.text, "score": $0.candidate.score,
                 "lm": $0.modelLogProbability ?? NSNull()] as [String: Any]
            },
        ]
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        line.append(0x0A)
        handle.withLock { $0.write(line) }
    }
}
