import Foundation
@testable import GGUF

/// Paths and helpers shared by the GGUF tests.
enum TestSupport {
    /// The package root, found from this file's path (Tests/GGUFTests/TestSupport.swift).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The default model, present when `models` is linked or fetched into the package root.
    static let smolLM2Path = packageRoot.appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf").path

    static var hasSmolLM2: Bool {
        let present = FileManager.default.fileExists(atPath: smolLM2Path)
        if !present {
            print("NOTE: \(smolLM2Path) is absent; SmolLM2 tests are skipped. Run scripts/setup/fetch-model.sh.")
        }
        return present
    }

    /// One directory per test process, in memory (/dev/shm) when available because the
    /// corruption tests write hundreds of small files. Directories of finished test processes
    /// are removed when the next one starts.
    static let processDirectory: URL = {
        let fm = FileManager.default
        let shm = URL(fileURLWithPath: "/dev/shm")
        let base = fm.isWritableFile(atPath: shm.path) ? shm : fm.temporaryDirectory
        for name in (try? fm.contentsOfDirectory(atPath: base.path)) ?? [] where name.hasPrefix("gguf-tests-") {
            if let pid = Int32(name.dropFirst("gguf-tests-".count)), kill(pid, 0) != 0, errno == ESRCH {
                try? fm.removeItem(at: base.appendingPathComponent(name))
            }
        }
        return base.appendingPathComponent("gguf-tests-\(getpid())")
    }()

    /// A fresh temporary directory for one test.
    static func temporaryDirectory() throws -> URL {
        let url = processDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `bytes` to a temporary file and returns its path.
    static func writeTemporary(_ bytes: [UInt8], name: String = "t.gguf") throws -> String {
        let path = try temporaryDirectory().appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Little-endian bytes of an integer, for building files byte by byte.
    static func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    /// A GGUF string: u64 length then UTF-8 bytes.
    static func ggufString(_ s: String) -> [UInt8] {
        le(UInt64(s.utf8.count)) + Array(s.utf8)
    }
}
