import ArgumentParser

/// The `atcfix` command line: a thin layer over the library modules.
@main
struct ATCFix: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atcfix",
        abstract: "Correct Whisper transcripts of air-traffic-control speech.",
        subcommands: [
            CorrectCommand.self, BatchCommand.self, RetrieveCommand.self, IndexCommand.self, WERCommand.self,
            CorpusCommand.self, ModelCommand.self, VectorsCommand.self,
        ]
    )
}
