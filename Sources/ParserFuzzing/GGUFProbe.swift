import Foundation
import GGUF
import Support

/// Parses bytes as a GGUF file and uses what it finds: every metadata value, every small
/// tensor dequantised, and the tokenizer built and run when the metadata describes one.
public struct GGUFProbe: Sendable {
    private let scratch: ScratchDirectory

    /// A probe writing its inputs into `scratch`.
    public init(scratch: ScratchDirectory) { self.scratch = scratch }

    /// Parses `bytes`.
    public func run(_ bytes: [UInt8]) -> ProbeOutcome {
        let path = scratch.write(bytes, to: "input.gguf")
        let file: GGUFFile
        do {
            file = try GGUFFile(path: path)
        } catch {
            return .rejected(error.description)
        }
        for key in file.metadataKeys { _ = file.metadata[key]?.summary }
        for tensor in file.tensors where tensor.elementCount <= 1 << 16 {
            do {
                _ = try file.dequantizedTensor(tensor.name)
            } catch {
                return .rejected(error.description)
            }
        }
        if file.string("tokenizer.ggml.model") != nil {
            do {
                let tokenizer = try Tokenizer(file: file)
                let ids = tokenizer.tokenize("cleared to land runway 27 <s> ✈︎", addSpecial: true, parseSpecial: true)
                _ = tokenizer.detokenize(ids, renderSpecial: true)
            } catch {
                return .rejected(error.description)
            }
        }
        return .accepted
    }

    /// Valid files covering the reader's paths: every metadata type (nested and string arrays
    /// included), tensors of four types, version 2, and both tokenizer families.
    public static func seeds() -> [[UInt8]] {
        var rich = GGUFWriter()
        rich.set("general.architecture", .string("llama"))
        rich.set("general.name", .string("probe ✈︎"))
        rich.set("llama.context_length", .uint32(128))
        rich.set("llama.rope.freq_base", .float32(10000))
        rich.set("i64", .int64(-5))
        rich.set("u64", .uint64(7))
        rich.set("f64", .float64(0.25))
        rich.set("flag", .bool(true))
        rich.set("i8", .int8(-1))
        rich.set("u16", .uint16(9))
        rich.set("ints", .array(.int32([1, -2, 3])))
        rich.set("floats", .array(.float32([0.5, 1.5])))
        rich.set("bools", .array(.bool([true, false])))
        rich.set("strings", .array(.string(["a", "", "ß"])))
        rich.set("nested", .array(.array([.int32([1, 2]), .string(["x"])])))
        var random = SplitMix64(seed: 1)
        func noise(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) } }
        func halves(_ values: [Float]) -> [UInt8] {
            values.flatMap { v -> [UInt8] in let h = HalfFloat.fromFloat(v); return [UInt8(h & 0xFF), UInt8(h >> 8)] }
        }
        rich.add(.init(name: "f32", type: .f32, dims: [4, 2], data: (0..<8).flatMap { i -> [UInt8] in
            let bits = Float(i).bitPattern
            return [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: bits >> UInt32($0)) }
        }))
        rich.add(.init(name: "f16", type: .f16, dims: [8], data: halves([1, -2, 0.5, 0, 3, 4, 5, 6])))
        rich.add(.init(name: "q8", type: .q8_0, dims: [32, 2], data: (0..<2).flatMap { _ in halves([0.01]) + noise(32) }))
        rich.add(.init(name: "q4", type: .q4_0, dims: [32], data: halves([0.1]) + noise(16)))
        var version2 = GGUFWriter()
        version2.version = 2
        version2.alignment = 64
        version2.set("general.alignment", .uint32(64))
        version2.set("general.architecture", .string("qwen2"))
        version2.add(.init(name: "w", type: .f32, dims: [2], data: [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40]))
        return [rich.bytes(), version2.bytes(), sentencePieceTokenizer().bytes(), bytePairTokenizer().bytes()]
    }

    /// A llama-style SentencePiece vocabulary: specials, byte fallback, a few words.
    private static func sentencePieceTokenizer() -> GGUFWriter {
        var tokens = ["<unk>", "<s>", "</s>"]
        var types: [Int32] = [2, 3, 3]
        for byte in 0..<256 {
            tokens.append("<0x" + String(byte, radix: 16, uppercase: true).leftPadded(2) + ">")
            types.append(6)
        }
        for word in ["▁", "▁cleared", "▁to", "▁land", "▁runway", "▁2", "7", "▁c", "le", "ar"] {
            tokens.append(word)
            types.append(1)
        }
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("llama"))
        writer.set("tokenizer.ggml.model", .string("llama"))
        writer.set("tokenizer.ggml.tokens", .array(.string(GGUFStringArray(tokens))))
        writer.set("tokenizer.ggml.scores", .array(.float32(tokens.indices.map { -Float($0) })))
        writer.set("tokenizer.ggml.token_type", .array(.int32(types)))
        writer.set("tokenizer.ggml.bos_token_id", .uint32(1))
        writer.set("tokenizer.ggml.eos_token_id", .uint32(2))
        writer.set("tokenizer.chat_template", .string("{% for m in messages %}<s>{{ m['content'] }}</s>{% endfor %}"))
        return writer
    }

    /// A GPT-2-style byte-level BPE vocabulary: the 256 byte symbols, merges, one special.
    private static func bytePairTokenizer() -> GGUFWriter {
        // GPT-2's byte → printable-character table: printable Latin-1 bytes stand for
        // themselves, the rest are moved to U+0100 onwards in byte order.
        var symbols: [String] = []
        var shifted = 0
        for byte in 0..<256 {
            let printable = (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
            let scalar = printable ? byte : 256 + shifted
            if !printable { shifted += 1 }
            symbols.append(String(Character(Unicode.Scalar(UInt32(scalar))!)))
        }
        let merges = ["Ġ c", "l e", "Ġc le", "a r", "Ġ t", "Ġt o", "Ġ l", "a n", "Ġl an", "Ġlan d"]
        let tokens = symbols + merges.map { $0.replacingOccurrences(of: " ", with: "") } + ["<|endoftext|>"]
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("llama"))
        writer.set("tokenizer.ggml.model", .string("gpt2"))
        writer.set("tokenizer.ggml.pre", .string("smollm"))
        writer.set("tokenizer.ggml.tokens", .array(.string(GGUFStringArray(tokens))))
        writer.set("tokenizer.ggml.token_type", .array(.int32(tokens.indices.map { $0 == tokens.count - 1 ? 3 : 1 })))
        writer.set("tokenizer.ggml.merges", .array(.string(GGUFStringArray(merges))))
        writer.set("tokenizer.ggml.eos_token_id", .uint32(UInt32(tokens.count - 1)))
        return writer
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
