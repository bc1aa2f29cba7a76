import Foundation

/// A per-process directory for the probes' input files: in memory (/dev/shm) where the system
/// has it, since a mutation run writes thousands of small files.
public struct ScratchDirectory: Sendable {
    /// The directory (created on init).
    public let url: URL

    /// A fresh directory named after `label` and the process id.
    public init(label: String) {
        let fm = FileManager.default
        let shm = URL(fileURLWithPath: "/dev/shm")
        let base = fm.isWritableFile(atPath: shm.path) ? shm : fm.temporaryDirectory
        url = base.appendingPathComponent("atcfix-\(label)-\(getpid())-\(UUID().uuidString.prefix(8))")
        try? fm.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the directory.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Replaces the file `name` with `bytes` and returns its path.
    public func write(_ bytes: [UInt8], to name: String) -> String {
        let target = path(name)
        FileManager.default.createFile(atPath: target, contents: Data(bytes))
        return target
    }

    /// Removes the directory and everything in it.
    public func remove() { try? FileManager.default.removeItem(at: url) }
}
