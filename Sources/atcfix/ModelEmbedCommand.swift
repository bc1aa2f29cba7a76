import ArgumentParser
import Foundation
import GGUF
import Llama

/// `atcfix model embed`: L2-normalised mean-pooled embeddings of texts.
struct ModelEmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed texts: mean-pooled final hidden states after output_norm, L2-normalised.",
        discussion: CommandHelp.discussion("", examples: [
            "atcfix model embed models/SmolLM2-135M-Instruct.Q4_1.gguf 'descend flight level one two zero'",
            "atcfix model embed model.gguf 'a' 'b' --layer 20 --json",
        ]))

    @Argument(help: "The GGUF model file.")
    var file: String

    @Argument(help: "Texts to embed (tokenised with the file's BOS rule).")
    var texts: [String]

    @Flag(help: "Print {\"embeddings\": [[…], …]}.")
    var json = false

    @Flag(help: "Use the last token's state instead of the mean.")
    var lastToken = false

    @Option(help: "Pool the residual stream after this block (0-based) instead of the final state.")
    var layer: Int?

    @Option(help: "Threads (1...256).")
    var threads = 2

    func validate() throws {
        guard !texts.isEmpty else { throw ValidationError("give at least one text") }
        try OptionCheck.threads(threads)
        try OptionCheck.range("--layer", layer, 0...1024)
    }

    func run() throws {
        let model = try LlamaModel(path: file)
        let tokenizer = try Tokenizer(file: model.file)
        let tokenLists = texts.map { tokenizer.tokenize($0, addSpecial: true).map { Int32($0) } }
        let longest = tokenLists.map(\.count).max() ?? 1
        let session = try LlamaSession(model: model, contextLength: max(longest, 1), threads: threads)
        var vectors: [[Float]] = []
        for (text, tokens) in zip(texts, tokenLists) {
            guard !tokens.isEmpty else { throw BadInput("text \"\(text)\" tokenised to nothing; give a non-empty text") }
            vectors.append(try session.embed(tokens, pooling: lastToken ? .last : .mean, layer: layer))
        }
        if json {
            let body = vectors.map { "[" + $0.map { "\($0)" }.joined(separator: ",") + "]" }.joined(separator: ",")
            print("{\"embeddings\": [\(body)]}")
        } else {
            for v in vectors { print(v.map { "\($0)" }.joined(separator: " ")) }
        }
    }
}
