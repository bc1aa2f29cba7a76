import Foundation

/// Progress on standard error: a redrawn bar with rate and ETA on a terminal, a plain line
/// every few seconds otherwise (logs and pipes get readable lines, not carriage returns).
final class ProgressBar {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var phase = ""
    private var phaseStart = Date()
    private var lastPrint = Date.distantPast
    private let width = 30

    /// Shows `done` of `total` units of `phase`.
    func update(phase: String, done: Int, total: Int) {
        let now = Date()
        if phase != self.phase {
            if isTerminal && !self.phase.isEmpty { FileHandle.standardError.write(Data("\n".utf8)) }
            self.phase = phase
            phaseStart = now
            lastPrint = .distantPast
        }
        let finished = done >= total
        guard finished || now.timeIntervalSince(lastPrint) >= (isTerminal ? 0.2 : 5) else { return }
        lastPrint = now
        let elapsed = now.timeIntervalSince(phaseStart)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let stats = String(format: "%d/%d  %.1f/s  ETA %@", done, total, rate, Self.duration(eta))
        if isTerminal {
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            FileHandle.standardError.write(Data("\r\(phase) [\(bar)] \(stats)\u{1B}[K".utf8))
            if finished { FileHandle.standardError.write(Data("\n".utf8)) }
        } else {
            FileHandle.standardError.write(Data(String(format: "%@: %.0f%% %@\n", phase, fraction * 100, stats).utf8))
        }
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 60 ? "\(total / 60)m\(String(format: "%02d", total % 60))s" : "\(total)s"
    }
}
