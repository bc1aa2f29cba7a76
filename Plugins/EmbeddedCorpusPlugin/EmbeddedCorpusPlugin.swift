import Foundation
import PackagePlugin

/// Compiles the package's `corpora/` files into the target it is applied to, so that the
/// binary carries its default corpus wherever it is copied, while `corpora/` stays the
/// readable, reviewable source of truth at the top of the package.
///
/// The build runs `EmbeddedCorpusGenerator` whenever one of the files changes; it writes one
/// Swift source with every file's bytes (see that tool for the format).
@main
struct EmbeddedCorpusPlugin: BuildToolPlugin {
    /// The files compiled in, in the order their bytes enter the corpus's content hash
    /// (`EmbeddedCorpus.fileNames` says the same and a test checks that they agree).
    static let fileNames = [
        "airlines.csv", "phraseology.txt", "facilities.csv", "airports.txt", "waypoints.txt", "registrations.csv",
    ]

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let corpora = context.package.directoryURL.appending(path: "corpora")
        let inputs = Self.fileNames.map { corpora.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedCorpusFiles.swift")
        return [
            .buildCommand(
                displayName: "Compiling corpora/ into \(target.name)",
                executable: try context.tool(named: "EmbeddedCorpusGenerator").url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output]
            ),
        ]
    }
}
