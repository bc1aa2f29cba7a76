import ArgumentParser
import Foundation
import VectorIndex

/// `atcfix vectors info FILE`: validates an index file and prints its header.
struct VectorsInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Validate an HNSW index file and print its header.",
        discussion: CommandHelp.discussion("Checks the header, every section checksum and the link bounds.", examples: [
            "atcfix vectors info indexes/default/vectors.hnsw",
        ]))

    @Argument(help: "The .hnsw index file.")
    var file: String

    func run() throws {
        let url = URL(fileURLWithPath: file)
        let index = try HNSWIndex.load(from: url)
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? nil
        let p = index.parameters
        print("file:            \(file)")
        if let size { print("file bytes:      \(size)") }
        print("model identity:  \(index.modelIdentity ?? "")")
        print("dimension:       \(index.dimension)")
        print("metric:          \(index.metric)")
        print("storage:         \(p.storage)")
        print("vectors:         \(index.count) live, \(index.nodeCount - index.count) deleted")
        print("M:               \(p.m) (layer 0: \(2 * p.m))")
        print("efConstruction:  \(p.efConstruction)")
        print("efSearch:        \(p.efSearch)")
        print("seed:            \(p.seed)")
        print("memory bytes:    \(index.memoryBytes)")
        print("checksums:       ok")
    }
}
