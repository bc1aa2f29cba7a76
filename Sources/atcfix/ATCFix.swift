import ArgumentParser

/// The `atcfix` command line: a thin layer over the library modules.
@main
struct ATCFix: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atcfix",
        abstract: "Correct Whisper transcripts of air-traffic-control speech.",
        subcommands: [WERCommand.self, ModelCommand.self, VectorsCommand.self, CorpusCommand.self, IndexCommand.self, RetrieveCommand.self]
    )
}
