import ArgumentParser

/// `atcfix model …`: GGUF model files — inspection and tokenization here; inference commands
/// join this group by adding their type to `subcommands`.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Inspect GGUF model files and use their tokenizers.",
        discussion: CommandHelp.discussion("", examples: [
            "atcfix model info models/SmolLM2-135M-Instruct.Q4_1.gguf",
            "atcfix model bench models/SmolLM2-135M-Instruct.Q4_1.gguf --json",
        ]),
        subcommands: [ModelInfoCommand.self, ModelTokenizeCommand.self, ModelRunCommand.self, ModelEmbedCommand.self, ModelBenchCommand.self]
    )
}
