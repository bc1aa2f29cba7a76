import Foundation

/// Where the index and the model are found when no flag names them, so a binary works from any
/// working directory and without its source tree.
///
/// The rule, first match wins:
/// 1. the flag (`--index`, `--model`, `--llm`), when given;
/// 2. the environment: `ATCFIX_INDEX` (an index directory), `ATCFIX_MODEL` (a GGUF file);
/// 3. the per-user data directory — `$ATCFIX_DATA_DIR`, else `$XDG_DATA_HOME/atcfix`, else
///    `~/.local/share/atcfix` — holding `indexes/default` and
///    `models/SmolLM2-135M-Instruct.Q4_1.gguf` (`scripts/run.sh` and `scripts/fetch-model.sh`
///    fill it), when the file is there;
/// 4. for a developer checkout — the binary sits in `CHECKOUT/.build/…` and `CHECKOUT`
///    has a `Package.swift` — the checkout's `indexes/default` and `models/`, when there;
/// 5. otherwise the data directory's path (which does not exist yet), so errors and
///    `index build` point at the place the next run looks.
public struct DefaultLocations: Sendable, Equatable {
    /// The default model's file name.
    public static let modelFileName = "SmolLM2-135M-Instruct.Q4_1.gguf"
    /// The default index's path relative to a data directory or checkout.
    public static let indexRelativePath = "indexes/default"
    /// The default model's path relative to a data directory or checkout.
    public static var modelRelativePath: String { "models/" + modelFileName }

    /// Which step of the rule gave a location.
    public enum Source: String, Sendable, Equatable {
        case flag, environment, dataDirectory = "data directory", checkout, fallback = "data directory (not there yet)"
    }

    /// A resolved location and the step that gave it.
    public struct Location: Sendable, Equatable {
        /// The path.
        public var path: String
        /// Which step of the rule gave it.
        public var source: Source

        /// A location at `path` from step `source`.
        public init(path: String, source: Source) {
            self.path = path
            self.source = source
        }
    }

    /// The environment variables consulted.
    public var environment: [String: String]
    /// The user's home directory.
    public var homeDirectory: String
    /// The running binary's absolute path, if known.
    public var executablePath: String?

    /// The rule over the given environment; the defaults are this process's.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        homeDirectory: String = NSHomeDirectory(),
        executablePath: String? = DefaultLocations.currentExecutablePath()
    ) {
        self.environment = environment
        self.homeDirectory = homeDirectory
        self.executablePath = executablePath
    }

    /// The per-user data directory (whether it exists or not).
    public var dataDirectory: URL {
        if let value = environment["ATCFIX_DATA_DIR"], !value.isEmpty { return URL(fileURLWithPath: value) }
        if let value = environment["XDG_DATA_HOME"], !value.isEmpty {
            return URL(fileURLWithPath: value).appendingPathComponent("atcfix")
        }
        return URL(fileURLWithPath: homeDirectory).appendingPathComponent(".local/share/atcfix")
    }

    /// The developer checkout the binary was built in: the folder holding the `.build`
    /// folder on the binary's path, when that folder has a `Package.swift`.
    public var checkout: URL? {
        guard let executablePath else { return nil }
        var components = URL(fileURLWithPath: executablePath).standardizedFileURL.pathComponents
        while let last = components.popLast() {
            if last == ".build" {
                let root = URL(fileURLWithPath: NSString.path(withComponents: components.isEmpty ? ["/"] : components))
                let manifest = root.appendingPathComponent("Package.swift").path
                return FileManager.default.fileExists(atPath: manifest) ? root : nil
            }
        }
        return nil
    }

    /// The index directory: `flag`, else `ATCFIX_INDEX`, else the first of the data
    /// directory's and the checkout's `indexes/default` holding a `phrases.sqlite`.
    public func index(flag: String? = nil) -> Location {
        resolve(flag: flag, variable: "ATCFIX_INDEX", relativePath: Self.indexRelativePath) { url in
            FileManager.default.fileExists(atPath: url.appendingPathComponent("phrases.sqlite").path)
        }
    }

    /// The model file: `flag`, else `ATCFIX_MODEL`, else the first of the data directory's
    /// and the checkout's `models/SmolLM2-135M-Instruct.Q4_1.gguf` that exists.
    public func model(flag: String? = nil) -> Location {
        resolve(flag: flag, variable: "ATCFIX_MODEL", relativePath: Self.modelRelativePath) { url in
            FileManager.default.fileExists(atPath: url.path)
        }
    }

    private func resolve(flag: String?, variable: String, relativePath: String, isPresent: (URL) -> Bool) -> Location {
        if let flag, !flag.isEmpty { return Location(path: flag, source: .flag) }
        if let value = environment[variable], !value.isEmpty { return Location(path: value, source: .environment) }
        let inData = dataDirectory.appendingPathComponent(relativePath)
        if isPresent(inData) { return Location(path: inData.path, source: .dataDirectory) }
        if let checkout {
            let inCheckout = checkout.appendingPathComponent(relativePath)
            if isPresent(inCheckout) { return Location(path: inCheckout.path, source: .checkout) }
        }
        return Location(path: inData.path, source: .fallback)
    }

    /// The running binary's absolute path (`/proc/self/exe` on Linux, else argv[0] made absolute).
    public static func currentExecutablePath() -> String? {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        #endif
        guard let first = CommandLine.arguments.first, first.contains("/") else { return nil }
        return URL(fileURLWithPath: first).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
