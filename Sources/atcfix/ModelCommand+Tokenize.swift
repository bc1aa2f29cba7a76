import ArgumentParser
import Foundation
import GGUF

/// `atcfix model tokenize FILE.gguf "text" [--json] [--bos] [--special]`: the token ids of a
/// text as llama.cpp's `llama_tokenize` would give them.
struct ModelTokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Tokenize text with a GGUF file's tokenizer (by default: no BOS, special-token text as plain text).",
        discussion: CommandHelp.discussion("", examples: [
            "atcfix model tokenize models/SmolLM2-135M-Instruct.Q4_1.gguf 'hello world' --json",
            "atcfix model tokenize model.gguf --lines phrases.txt --repeat 5 > ids.txt",
        ]))

    @Argument(help: "The GGUF model file.")
    var file: String

    @Argument(help: "The text to tokenize (or use --lines).")
    var text: String?

    @Option(name: .customLong("lines"), help: "Tokenize every line of this file instead: one line of space-separated ids per input line on stdout, timing on stderr.")
    var linesFile: String?

    @Option(name: .customLong("repeat"), help: "With --lines: tokenize the whole file this many times and report the median time.")
    var repeats: Int = 1

    @Flag(help: "Print {\"ids\": [...], \"pieces\": [...]} instead of one token per line.")
    var json = false

    @Flag(help: "Add BOS/EOS as the file's metadata says (llama.cpp add_special).")
    var bos = false

    @Flag(help: "Recognise control tokens such as <|im_start|> written in the text (llama.cpp parse_special).")
    var special = false

    func validate() throws {
        guard (text == nil) != (linesFile == nil) else {
            throw ValidationError("give either a text argument or --lines FILE")
        }
        try OptionCheck.range("--repeat", repeats, 1...1_000)
    }

    func run() throws {
        let tokenizer = try Tokenizer(file: GGUFFile(path: file))
        if let linesFile {
            try tokenizeLines(linesFile, tokenizer)
            return
        }
        let ids = tokenizer.tokenize(text ?? "", addSpecial: bos, parseSpecial: special)
        // Pieces show control tokens by name; a piece may be part of a character (byte tokens).
        let pieces = ids.map { String(decoding: tokenizer.piece($0, special: true), as: UTF8.self) }
        if json {
            struct Output: Encodable { let ids: [Int]; let pieces: [String] }
            try JSONOutput.print(Output(ids: ids, pieces: pieces))
        } else {
            for (id, piece) in zip(ids, pieces) {
                print("\(String(id).leftPad(7)) \(piece.debugDescription)")
            }
        }
    }

    /// The benchmark / bulk mode: single-threaded, the file read and split before timing starts.
    func tokenizeLines(_ path: String, _ tokenizer: Tokenizer) throws {
        let data = try FileFailure.contents(of: path)
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init).dropLast(data.last == UInt8(ascii: "\n") ? 1 : 0)
        var results: [[Int]] = []
        var seconds: [Double] = []
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            results = lines.map { tokenizer.tokenize($0, addSpecial: bos, parseSpecial: special) }
            seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        var out = ""
        for ids in results {
            out += ids.map(String.init).joined(separator: " ")
            out += "\n"
        }
        FileHandle.standardOutput.write(Data(out.utf8))
        let median = seconds.sorted()[seconds.count / 2]
        let tokens = results.reduce(0) { $0 + $1.count }
        FileHandle.standardError.write(Data(String(format: "tokenized %d lines, %d tokens: median %.4f s over %d runs (min %.4f, max %.4f)\n",
                                                   lines.count, tokens, median, seconds.count, seconds.min()!, seconds.max()!).utf8))
    }
}
