import ArgumentParser
import Foundation
import GGUF

/// `atcfix model info FILE.gguf [--json]`: architecture, hyper-parameters, tokenizer, tensor
/// types and sizes of a GGUF file, read without loading the weights.
struct ModelInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a GGUF file: architecture, hyper-parameters, tokenizer, tensor types and sizes.",
        discussion: CommandHelp.discussion("Reads the header and metadata only (the weights are not loaded).", examples: [
            "atcfix model info models/SmolLM2-135M-Instruct.Q4_1.gguf",
            "atcfix model info model.gguf --json",
        ]))

    @Argument(help: "The GGUF model file.")
    var file: String

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    /// The report, shaped for JSON output.
    struct Report: Encodable {
        struct TensorTypeCount: Encodable {
            let type: String
            let tensors: Int
            let elements: Int
            let bytes: Int
        }
        struct TokenizerInfo: Encodable {
            let model: String
            let preTokenizer: String?
            let tokens: Int
            let bos: Int?
            let eos: Int?
            let eot: Int?
            let addBOS: Bool
            let addEOS: Bool
            let chatTemplate: String?
        }
        let path: String
        let ggufVersion: UInt32
        let fileBytes: Int
        let tensorDataBytes: Int
        let parameters: Int
        let tensorCount: Int
        let alignment: Int
        let architecture: String?
        let name: String?
        let fileType: Int?
        let hyperparameters: [String: Double]
        let tokenizer: TokenizerInfo?
        let tokenizerError: String?
        let tensorTypes: [TensorTypeCount]
        let metadata: [String: String]
    }

    func run() throws {
        let gguf = try GGUFFile(path: file)
        let report = Self.report(gguf)
        if json {
            try JSONOutput.print(report)
        } else {
            print(Self.text(report))
        }
    }

    static func report(_ gguf: GGUFFile) -> Report {
        var byType: [GGMLType: (tensors: Int, elements: Int, bytes: Int)] = [:]
        for t in gguf.tensors {
            let old = byType[t.type] ?? (0, 0, 0)
            byType[t.type] = (old.tensors + 1, old.elements + t.elementCount, old.bytes + t.byteSize)
        }
        let types = byType.sorted { $0.value.bytes > $1.value.bytes }
            .map { Report.TensorTypeCount(type: $0.key.name, tensors: $0.value.tensors, elements: $0.value.elements, bytes: $0.value.bytes) }
        var hyper: [String: Double] = [:]
        if let arch = gguf.architecture {
            for key in gguf.metadataKeys where key.hasPrefix(arch + ".") {
                if let v = gguf.value(key)?.doubleValue { hyper[String(key.dropFirst(arch.count + 1))] = v }
            }
        }
        var tokenizerInfo: Report.TokenizerInfo?
        var tokenizerError: String?
        if gguf.value("tokenizer.ggml.model") != nil {
            do {
                let t = try Tokenizer(file: gguf)
                let template: String? = ChatTemplate(file: gguf).map {
                    switch $0 {
                    case .chatML(let system): system == nil ? "chatml" : "chatml (default system prompt)"
                    case .llama2(let sys, _, _): sys ? "llama2 (with <<SYS>>)" : "llama2"
                    }
                }
                tokenizerInfo = .init(model: t.model.rawValue, preTokenizer: t.preTokenizerName, tokens: t.count,
                                      bos: t.bos, eos: t.eos, eot: t.eot, addBOS: t.addBOS, addEOS: t.addEOS, chatTemplate: template)
            } catch {
                tokenizerError = "\(error)"
            }
        }
        var metadata: [String: String] = [:]
        for key in gguf.metadataKeys { metadata[key] = gguf.value(key)?.summary }
        return Report(
            path: gguf.path, ggufVersion: gguf.version, fileBytes: gguf.fileSize,
            tensorDataBytes: gguf.tensors.reduce(0) { $0 + $1.byteSize },
            parameters: gguf.tensors.reduce(0) { $0 + $1.elementCount },
            tensorCount: gguf.tensors.count, alignment: gguf.alignment,
            architecture: gguf.architecture, name: gguf.string("general.name"), fileType: gguf.int("general.file_type"),
            hyperparameters: hyper, tokenizer: tokenizerInfo, tokenizerError: tokenizerError,
            tensorTypes: types, metadata: metadata)
    }

    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1e6) }

    static func text(_ r: Report) -> String {
        var lines: [String] = []
        lines.append("file          \(r.path)")
        lines.append("gguf          version \(r.ggufVersion), alignment \(r.alignment), \(r.metadata.count) metadata keys")
        lines.append("size          \(megabytes(r.fileBytes)) file, \(megabytes(r.tensorDataBytes)) tensor data")
        lines.append("architecture  \(r.architecture ?? "(none)")\(r.name.map { " — \($0)" } ?? "")")
        lines.append("parameters    \(r.parameters) in \(r.tensorCount) tensors")
        for key in r.hyperparameters.keys.sorted() {
            let v = r.hyperparameters[key]!
            let shown = v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
            lines.append("  \(key.padding(toLength: 36, withPad: " ", startingAt: 0)) \(shown)")
        }
        if let t = r.tokenizer {
            lines.append("tokenizer     \(t.model)\(t.preTokenizer.map { " (pre: \($0))" } ?? ""), \(t.tokens) tokens, "
                         + "bos \(t.bos.map(String.init) ?? "-"), eos \(t.eos.map(String.init) ?? "-"), eot \(t.eot.map(String.init) ?? "-"), "
                         + "add_bos \(t.addBOS), add_eos \(t.addEOS)")
            lines.append("chat format   \(t.chatTemplate ?? "(none recognised)")")
        } else if let e = r.tokenizerError {
            lines.append("tokenizer     unsupported: \(e)")
        } else {
            lines.append("tokenizer     (none)")
        }
        lines.append("tensor types")
        for t in r.tensorTypes {
            lines.append("  \(t.type.padding(toLength: 8, withPad: " ", startingAt: 0)) \(String(t.tensors).leftPad(5)) tensors  \(String(t.elements).leftPad(12)) elements  \(megabytes(t.bytes).leftPad(10))")
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
