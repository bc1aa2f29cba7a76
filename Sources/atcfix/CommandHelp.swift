/// The shared tail of every command's `--help` discussion: examples and exit status.
enum CommandHelp {
    /// The exit codes, the same for every command.
    static let exitStatus = """
        Exit status: 0 ok; 1 runtime error (a write failed, a model could not run); \
        2 bad input (a file, row or field that cannot be used); 64 usage (bad flags or values).
        """

    /// `body`, then an `Examples:` section with one command per line, then the exit status.
    static func discussion(_ body: String, examples: [String]) -> String {
        var parts: [String] = []
        if !body.isEmpty { parts.append(body) }
        parts.append("Examples:\n" + examples.map { "  " + $0 }.joined(separator: "\n"))
        parts.append(exitStatus)
        return parts.joined(separator: "\n\n")
    }
}
