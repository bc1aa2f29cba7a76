import ArgumentParser
import Foundation
import GGUF

/// `atcfix model tokenize FILE.gguf "text" [--json] [--bos] [--special]`: the token ids of a
/// text as llama.cpp's `llama_tokenize` would give them.
struct ModelTokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Tokenize text with a GGUF file's tokenizer (by default: no BOS, special-token text as plain text).")

    @Argument(help: "The GGUF model file.")
    var file: String

    @Argument(help: "The text to tokenize.")
    var text: String

    @Flag(help: "Print {\"ids\": [...], \"pieces\": [...]} instead of one token per line.")
    var json = false

    @Flag(help: "Add BOS/EOS as the file's metadata says (llama.cpp add_special).")
    var bos = false

    @Flag(help: "Recognise control tokens such as <|im_start|> written in the text (llama.cpp parse_special).")
    var special = false

    func run() throws {
        let tokenizer = try Tokenizer(file: GGUFFile(path: file))
        let ids = tokenizer.tokenize(text, addSpecial: bos, parseSpecial: special)
        // Pieces show control tokens by name; a piece may be part of a character (byte tokens).
        let pieces = ids.map { String(decoding: tokenizer.piece($0, special: true), as: UTF8.self) }
        if json {
            struct Output: Encodable { let ids: [Int]; let pieces: [String] }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(Output(ids: ids, pieces: pieces)), as: UTF8.self))
        } else {
            for (id, piece) in zip(ids, pieces) {
                print("\(String(id).leftPad(7)) \(piece.debugDescription)")
            }
        }
    }
}
