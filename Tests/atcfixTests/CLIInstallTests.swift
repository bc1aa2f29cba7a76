import Foundation
import Testing

/// The binary away from its checkout: defaults come from the environment and the per-user
/// data directory, from any working directory, and `--llm none` needs no model file.
@Suite(.enabled(if: CLI.available, CLI.missingMessage)) struct CLIInstallTests {
    /// The binary copied alone into a fresh folder (no `.build` on its path, so no checkout).
    private func installedBinary() throws -> URL {
        let bin = try CLI.scratch("bin").appendingPathComponent("atcfix")
        try FileManager.default.copyItem(at: CLI.binary!, to: bin)
        return bin
    }

    @Test func aCopiedBinaryFindsTheIndexInTheDataDirectoryFromAnyFolder() throws {
        let bin = try installedBinary()
        let data = try CLI.scratch("data")
        let index = try CLI.smallIndex(phrases: 200)
        try FileManager.default.createDirectory(at: data.appendingPathComponent("indexes"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: index, to: data.appendingPathComponent("indexes/default"))
        let elsewhere = try CLI.scratch("cwd")
        let transcript = "lufthansa four two one descend flight level one two zero"
        let result = try CLI.run(["correct", "--llm", "none", transcript], in: elsewhere,
                                 environment: ["ATCFIX_DATA_DIR": data.path], binary: bin)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.out == "lufthansa 421 descend flight level 120\n")
        #expect(result.stderr.contains(data.path + "/indexes/default"))

        // The same through ATCFIX_INDEX, with an empty data directory.
        let viaVariable = try CLI.run(["correct", "--llm", "none", transcript], in: elsewhere,
                                      environment: ["ATCFIX_DATA_DIR": elsewhere.path,
                                                    "ATCFIX_INDEX": data.appendingPathComponent("indexes/default").path], binary: bin)
        #expect(viaVariable.status == 0, "\(viaVariable.stderr)")
        #expect(viaVariable.out == result.out)
    }

    @Test func withNoIndexAnywhereTheErrorSaysWhereAndHow() throws {
        let bin = try installedBinary()
        let data = try CLI.scratch("nodata")
        let result = try CLI.run(["correct", "--llm", "none", "hello"], in: data, environment: ["ATCFIX_DATA_DIR": data.path], binary: bin)
        #expect(result.status != 0)
        #expect(result.stderr.contains(data.path + "/indexes/default"), "\(result.stderr)")
        #expect(result.stderr.contains("atcfix index build"), "\(result.stderr)")
        // Nothing was created in the data directory by a query.
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.path).isEmpty)
    }

    @Test func llmNoneNeedsNoModelFile() throws {
        let index = try CLI.smallIndex(phrases: 200)
        // An index that claims vectors, and no model anywhere: hybrid would need the model.
        try Data().write(to: index.appendingPathComponent("vectors.hnsw"))
        let result = try CLI.run(["correct", "--index", index.path, "--llm", "none", "contact rhein"],
                                 environment: ["ATCFIX_MODEL": "/nonexistent/model.gguf"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.out == "contact rhein\n")
        #expect(result.stderr.contains("no embedding model at /nonexistent/model.gguf"))
    }
}
