import ArgumentParser
import Foundation

/// The `atcfix` command line: a thin layer over the library modules.
@main
struct ATCFix: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atcfix",
        abstract: "Correct Whisper transcripts of air-traffic-control speech.",
        discussion: CommandHelp.discussion(
            """
            The index and the model are found by one rule when no flag names them: the flag, \
            then ATCFIX_INDEX / ATCFIX_MODEL, then the per-user data directory ($ATCFIX_DATA_DIR, \
            else $XDG_DATA_HOME/atcfix, else ~/.local/share/atcfix) holding indexes/default and \
            models/SmolLM2-135M-Instruct.Q4_1.gguf, then — for a binary built in a checkout — the \
            checkout's indexes/default and models/. scripts/run.sh fills the data directory.
            """,
            examples: [
                "atcfix correct 'lufthansa four three nine three descend flight level one two zero'",
                "atcfix batch --in calls.csv --out calls.corrected.csv --ref-column correct_text",
                "atcfix index build --out ~/.local/share/atcfix/indexes/default",
                "atcfix --version",
            ]),
        version: ATCFixVersion.current,
        subcommands: [
            CorrectCommand.self, BatchCommand.self, RetrieveCommand.self, IndexCommand.self, WERCommand.self,
            CorpusCommand.self, ModelCommand.self, VectorsCommand.self,
        ]
    )

    /// Parses, runs, and turns every failure into one line on stderr and the documented exit
    /// code (see ``CommandFailure``), so no command maps errors on its own.
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var command = command
                try command.run()
            }
        } catch {
            CommandFailure.exit(with: error)
        }
    }
}
