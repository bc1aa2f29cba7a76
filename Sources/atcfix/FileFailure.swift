import CSVIO
import Foundation

/// A Foundation file error said plainly: `FILE: no such file / permission denied / is a
/// directory — what to do`, never `NSCocoaErrorDomain error 256`, and the path once.
struct FileFailure: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var advice: String
    var isWrite: Bool

    init(path: String, reason: String, advice: String, isWrite: Bool = false) {
        self.path = path
        self.reason = reason
        self.advice = advice
        self.isWrite = isWrite
    }

    /// Reads the path from the error and the reason from the file system's state, since
    /// Foundation's codes (256, "unknown") do not always say.
    init(_ error: CocoaError, path given: String? = nil) {
        let path = given ?? (error.userInfo[NSFilePathErrorKey] as? String) ?? error.userInfo[NSURLErrorKey].map { "\($0)" } ?? "(unknown file)"
        self.init(path: path, isWrite: error.code.rawValue >= 512 && error.code.rawValue < 1024)
        if reason.isEmpty { reason = error.localizedDescription }
    }

    /// The plain reason for a failure on `path`, from what is (or is not) there.
    init(path: String, isWrite: Bool) {
        self.path = path
        self.isWrite = isWrite
        reason = FileProblem.reason(path, writing: isWrite) ?? ""
        switch reason {
        case "no such file": advice = "check the path (relative paths are from the working directory)"
        case "is a directory": advice = "give a file inside it"
        case "permission denied": advice = "check the file's permissions (ls -l \(path))"
        case let text where text.hasPrefix("its directory"): advice = "create it first or give another path"
        default: advice = "check the path, its permissions and free space"
        }
    }

    /// Reads `path` whole, with a plain error instead of Foundation's.
    static func contents(of path: String) throws(FileFailure) -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw FileFailure(path: path, isWrite: false).withFallbackReason(error)
        }
    }

    /// Writes `data` to `path` atomically (temporary file + rename), with a plain error.
    static func write(_ data: Data, to path: String) throws(FileFailure) {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw FileFailure(path: path, isWrite: true).withFallbackReason(error)
        }
    }

    private func withFallbackReason(_ error: any Error) -> FileFailure {
        var copy = self
        if copy.reason.isEmpty { copy.reason = (error as NSError).localizedDescription }
        return copy
    }

    var description: String { "\(path): \(reason.isEmpty ? "cannot \(isWrite ? "write" : "read") it" : reason) — \(advice)" }
}
