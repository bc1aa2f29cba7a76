import Foundation
import Testing

/// Runs the built `atcfix` binary: the tests exercise the program a user runs, not its parts.
enum CLI {
    /// What one run gave.
    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
        var out: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// The binary: `ATCFIX_BINARY`, else `atcfix` in the products directory this test bundle
    /// was built into (`.build/debug`), found from the running test process.
    static let binary: URL? = {
        if let path = ProcessInfo.processInfo.environment["ATCFIX_BINARY"] { return URL(fileURLWithPath: path) }
        var candidates: [URL] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        candidates.append(Bundle.main.bundleURL)
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for directory in candidates {
            var current = directory
            for _ in 0..<4 {
                let candidate = current.appendingPathComponent("atcfix")
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                   FileManager.default.isExecutableFile(atPath: candidate.path) {
                    return candidate
                }
                current = current.deletingLastPathComponent()
            }
        }
        return nil
    }()

    /// The package checkout (for the source files some tests compare against and the model).
    static let checkout: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The default model, when the checkout has it (tests that need it skip otherwise).
    static var model: URL? {
        let url = checkout.appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// True when the binary was found; tests that need it are disabled with a message otherwise.
    static var available: Bool { binary != nil }
    static let missingMessage: Comment = "the atcfix binary was not found beside the test bundle; run `swift build --build-tests` or set ATCFIX_BINARY"

    /// Runs `atcfix arguments` in `directory` with `environment` added to a clean one (HOME and
    /// XDG set to a scratch folder unless given, so the user's own data directory never leaks in).
    @discardableResult
    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
                    stdin: Data? = nil, binary: URL? = nil) throws -> Result {
        let process = try makeProcess(arguments, in: directory, environment: environment, binary: binary)
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        // Read both pipes concurrently so neither fills up and blocks the child.
        let errorData = ErrorCollector(errors.fileHandleForReading)
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: outData, stderr: String(decoding: errorData.wait(), as: UTF8.self))
    }

    /// A process ready to start (for tests that kill it).
    static func makeProcess(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
                            binary: URL? = nil) throws -> Process {
        guard let binary = binary ?? self.binary else { throw CLIMissing() }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ["PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": scratchHome.path, "XDG_DATA_HOME": scratchHome.appendingPathComponent("xdg").path]
        env.merge(environment) { $1 }
        process.environment = env
        return process
    }

    /// A home folder with nothing in it, shared by the runs of one test process.
    static let scratchHome: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("atcfix-cli-home-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// A new empty directory.
    static func scratch(_ name: String = "t") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("atcfix-cli-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A small lexical-only index (phrases.sqlite, no vectors) made by the binary from the
    /// embedded corpus: enough for `--retrieval lexical --llm none`, no model needed.
    static func smallIndex(phrases: Int = 400) throws -> URL {
        let directory = try scratch("index")
        let result = try run(["corpus", "import", "--db", directory.appendingPathComponent("phrases.sqlite").path,
                              "--corpus", "default", "--size", String(phrases)])
        guard result.status == 0 else { throw CLIFailure(result: result) }
        return directory
    }
}

struct CLIMissing: Error {}

struct CLIFailure: Error, CustomStringConvertible {
    var result: CLI.Result
    var description: String { "atcfix exited \(result.status): \(result.stderr)" }
}

/// Reads a pipe to its end on a background thread.
private final class ErrorCollector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)
    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }
    func wait() -> Data {
        done.wait()
        return data
    }
}
