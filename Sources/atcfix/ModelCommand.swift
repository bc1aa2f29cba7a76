import ArgumentParser

/// `atcfix model …`: GGUF model files — inspection and tokenization here; inference commands
/// join this group by adding their type to `subcommands`.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Inspect GGUF model files and use their tokenizers.",
        subcommands: [ModelInfoCommand.self, ModelTokenizeCommand.self, ModelRunCommand.self, ModelEmbedCommand.self, ModelBenchCommand.self]
    )
}
