import ArgumentParser

/// `atcfix vectors …`: inspect HNSW index files, generate test vectors, benchmark the index.
struct VectorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectors",
        abstract: "HNSW vector index tools.",
        subcommands: [VectorsInfoCommand.self, VectorsBenchCommand.self, VectorsGenerateCommand.self]
    )
}
