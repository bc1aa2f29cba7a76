import Foundation

/// Why a file cannot be read or written, said plainly from the file system's state —
/// "no such file", "is a directory", "permission denied" — for any module's error message,
/// instead of Foundation's "The operation could not be completed (NSCocoaErrorDomain error 256)".
public enum FileProblem {
    /// The reason `path` cannot be read (or, with `writing`, written), or nil when nothing
    /// about the path explains it (then the caller's own error is the best there is).
    public static func reason(_ path: String, writing: Bool = false) -> String? {
        var isDirectory: ObjCBool = false
        let manager = FileManager.default
        if !manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
            if writing && !manager.fileExists(atPath: parent) { return "its directory \(parent) does not exist" }
            return writing ? nil : "no such file"
        }
        if isDirectory.boolValue { return "is a directory" }
        if writing ? !manager.isWritableFile(atPath: path) : !manager.isReadableFile(atPath: path) {
            return "permission denied"
        }
        return nil
    }
}
