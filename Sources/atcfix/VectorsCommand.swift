import ArgumentParser

/// `atcfix vectors …`: inspect HNSW index files, generate test vectors, benchmark the index.
struct VectorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectors",
        abstract: "HNSW vector index tools.",
        discussion: CommandHelp.discussion("", examples: [
            "atcfix vectors info indexes/default/vectors.hnsw",
            "atcfix vectors generate --count 1000 --dim 32 --out /tmp/base.f32",
        ]),
        subcommands: [VectorsInfoCommand.self, VectorsBenchCommand.self, VectorsGenerateCommand.self]
    )
}
