#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Where a command's output goes, decided before any work so a wrong `--out` costs nothing
/// and never destroys something it should not.
///
/// The rule: `-` is standard output. A path that does not exist yet, or is a regular file, is
/// written atomically (a temporary file in its directory, renamed over it when complete, so an
/// earlier complete output is never replaced by a partial one). Refused always: a directory,
/// and the input itself (same path or same device and inode, e.g. through a hard link).
/// Refused unless `force`: a symbolic link (with `force`, the file it points to is replaced
/// atomically), and a device, pipe or socket (with `force`, written to directly).
public enum OutputTarget: Sendable, Equatable {
    /// Standard output, streamed.
    case standardOutput
    /// A regular file (or a new one), written atomically at this path.
    case file(URL)
    /// A device or pipe the user forced, written to directly.
    case stream(String)

    /// The path to pass to writers (`-` for standard output).
    public var path: String {
        switch self {
        case .standardOutput: "-"
        case .file(let url): url.path
        case .stream(let path): path
        }
    }

    /// True when the target is written in place (standard output or a forced device), so no
    /// checkpoint or rename is possible.
    public var isStreamed: Bool {
        if case .file = self { return false }
        return true
    }

    /// Checks `path` (given as `flag`) against the rule above. `inputs` are the files the
    /// command reads.
    public static func check(_ path: String, flag: String = "--out", inputs: [String] = [], force: Bool = false) throws(CSVError) -> OutputTarget {
        if path == "-" { return .standardOutput }
        if path.isEmpty {
            throw CSVError(file: path, line: nil, kind: .cannotWrite(reason: "\(flag) is empty; give a file path, or - for standard output"))
        }
        var target = URL(fileURLWithPath: path).standardizedFileURL
        var link = stat()
        if lstat(target.path, &link) == 0 {
            if (link.st_mode & S_IFMT) == S_IFLNK {
                guard force else {
                    throw refusal(path, "it is a symbolic link; pass --force to replace the file it points to, or give another \(flag)")
                }
                target = target.resolvingSymlinksInPath()
            }
        }
        var status = stat()
        if stat(target.path, &status) == 0 {
            let kind = status.st_mode & S_IFMT
            if kind == S_IFDIR {
                throw refusal(path, "it is a directory; give a file path for \(flag)")
            }
            for input in inputs {
                var inputStatus = stat()
                let sameInode = stat(input, &inputStatus) == 0 && inputStatus.st_dev == status.st_dev && inputStatus.st_ino == status.st_ino
                if sameInode {
                    throw refusal(path, "it is the input file \(input); write the output to another file")
                }
            }
            if kind != S_IFREG {
                guard force else {
                    throw refusal(path, "it is not a regular file (a device, pipe or socket); pass --force to write to it directly, or - for standard output")
                }
                return .stream(target.path)
            }
        } else {
            for input in inputs where URL(fileURLWithPath: input).standardizedFileURL.path == target.path {
                throw refusal(path, "it is the input file; write the output to another file")
            }
            var isDirectory: ObjCBool = false
            let directory = target.deletingLastPathComponent().path
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw refusal(path, "its directory \(directory) does not exist; create it first")
            }
        }
        return .file(target)
    }

    private static func refusal(_ path: String, _ reason: String) -> CSVError {
        CSVError(file: path, line: nil, kind: .refused(reason: reason))
    }
}
