import Foundation

// Writes a Swift source holding the bytes of the given files (the build-tool plugin
// `EmbeddedCorpusPlugin` runs it over corpora/ at build time).
//
// Usage: EmbeddedCorpusGenerator OUTPUT.swift FILE...
//
// Each file becomes one base64 string literal: exact for any bytes (the test that the
// compiled-in corpus equals corpora/ byte for byte depends on that), and a single string
// literal compiles in no time where an array literal of bytes would take the type checker
// minutes. The output is rewritten only when it changes, so an unchanged corpus does not
// recompile the module.

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: EmbeddedCorpusGenerator OUTPUT.swift FILE...\n".utf8))
    exit(64)
}
let output = URL(fileURLWithPath: arguments[1])
var source = """
    // Generated at build time by EmbeddedCorpusGenerator from the package's corpora/ files.
    // Do not edit: edit corpora/ instead.

    /// The compiled-in corpus files: name and base64 of the file's bytes, in corpus order.
    let embeddedCorpusFiles: [(name: String, base64: String)] = [

    """
for path in arguments.dropFirst(2) {
    let url = URL(fileURLWithPath: path)
    guard let data = FileManager.default.contents(atPath: url.path) else {
        FileHandle.standardError.write(Data("EmbeddedCorpusGenerator: cannot read \(url.path)\n".utf8))
        exit(1)
    }
    source += "    (\"\(url.lastPathComponent)\", \"\(data.base64EncodedString())\"),\n"
}
source += "]\n"
if FileManager.default.contents(atPath: output.path) != Data(source.utf8) {
    do {
        try Data(source.utf8).write(to: output, options: .atomic)
    } catch {
        FileHandle.standardError.write(Data("EmbeddedCorpusGenerator: cannot write \(output.path): \(error)\n".utf8))
        exit(1)
    }
}
