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
        var isDirectory: ObjCBool = false
        let manager = FileManager.default
        if !manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
            if isWrite && !manager.fileExists(atPath: parent) {
                reason = "its directory does not exist"
                advice = "create \(parent) first or give another path"
            } else {
                reason = "no such file"
                advice = "check the path (relative paths are from the working directory)"
            }
        } else if isDirectory.boolValue {
            reason = "is a directory"
            advice = "give a file inside it"
        } else if isWrite ? !manager.isWritableFile(atPath: path) : !manager.isReadableFile(atPath: path) {
            reason = "permission denied"
            advice = "check the file's permissions (ls -l \(path))"
        } else {
            reason = ""
            advice = "check the path, its permissions and free space"
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
