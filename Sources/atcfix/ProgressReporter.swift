import Foundation

/// Progress on stderr: a bar with rate and ETA redrawn in place on a terminal, a plain line
/// every few seconds otherwise (logs and CI stay readable).
final class ProgressReporter {
    private let total: Int
    private let label: String
    private let start = Date()
    private var lastPrint = Date.distantPast
    private let isTerminal = isatty(STDERR_FILENO) != 0

    init(total: Int, label: String) {
        self.total = total
        self.label = label
    }

    func update(_ done: Int) {
        let now = Date()
        guard now.timeIntervalSince(lastPrint) >= (isTerminal ? 0.1 : 5) || done == total else { return }
        lastPrint = now
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let stats = String(format: "%d/%d %@  %.1f/s  ETA %@", done, total, label, rate, Self.clock(eta))
        if isTerminal {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            FileHandle.standardError.write(Data("\r\(bar) \(stats)\u{1B}[K".utf8))
        } else {
            FileHandle.standardError.write(Data("progress: \(stats)\n".utf8))
        }
    }

    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
