import Foundation
import GGUF
import Support
import Testing
@testable import Llama

/// A small random model written to a temporary GGUF, to exercise what SmolLM2 does not: the
/// qwen2 layout (NEOX RoPE, Q/K/V biases), an untied output head and the Q4_0, Q4_K, Q6_K and
/// f16 kernels inside a full forward pass, against the reference forward pass.
struct SyntheticModel {
    let path: String

    static func write(architecture: String, embdType: GGMLType = .q8_0, matrixTypes: [GGMLType] = [.q4_K, .q6_K, .q4_0, .f16],
                      seed: UInt64 = 1) throws -> SyntheticModel {
        var rng = SplitMix64(seed: seed)
        let d = 256, ffn = 512, heads = 4, kvHeads = 2, layers = 2, vocab = 300
        var w = GGUFWriter()
        w.set("general.architecture", .string(architecture))
        w.set("\(architecture).block_count", .uint32(UInt32(layers)))
        w.set("\(architecture).embedding_length", .uint32(UInt32(d)))
        w.set("\(architecture).feed_forward_length", .uint32(UInt32(ffn)))
        w.set("\(architecture).attention.head_count", .uint32(UInt32(heads)))
        w.set("\(architecture).attention.head_count_kv", .uint32(UInt32(kvHeads)))
        w.set("\(architecture).rope.freq_base", .float32(10_000))
        w.set("\(architecture).attention.layer_norm_rms_epsilon", .float32(1e-6))
        func matrix(_ name: String, rows: Int, cols: Int, _ type: GGMLType) {
            let format = WeightFormat(rawValue: type.rawValue)!
            let bytes = (0..<rows).flatMap { _ in randomRow(format, columns: cols, &rng) }
            w.add(.init(name: name, type: type, dims: [cols, rows], data: bytes))
        }
        func vector(_ name: String, _ n: Int, around center: Float, spread: Float) {
            var bytes: [UInt8] = []
            for _ in 0..<n {
                let v = center + Float.random(in: -spread...spread, using: &rng)
                withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            }
            w.add(.init(name: name, type: .f32, dims: [n], data: bytes))
        }
        matrix("token_embd.weight", rows: vocab, cols: d, embdType)
        vector("output_norm.weight", d, around: 1, spread: 0.1)
        matrix("output.weight", rows: vocab, cols: d, .q8_0)
        for l in 0..<layers {
            let t = { (k: Int) in matrixTypes[(l + k) % matrixTypes.count] }
            vector("blk.\(l).attn_norm.weight", d, around: 1, spread: 0.1)
            vector("blk.\(l).ffn_norm.weight", d, around: 1, spread: 0.1)
            matrix("blk.\(l).attn_q.weight", rows: d, cols: d, t(0))
            matrix("blk.\(l).attn_k.weight", rows: kvHeads * 64, cols: d, t(1))
            matrix("blk.\(l).attn_v.weight", rows: kvHeads * 64, cols: d, t(2))
            matrix("blk.\(l).attn_output.weight", rows: d, cols: d, t(3))
            matrix("blk.\(l).ffn_gate.weight", rows: ffn, cols: d, t(1))
            matrix("blk.\(l).ffn_up.weight", rows: ffn, cols: d, t(2))
            matrix("blk.\(l).ffn_down.weight", rows: d, cols: ffn, t(0))
            if architecture == "qwen2" {
                vector("blk.\(l).attn_q.bias", d, around: 0, spread: 0.5)
                vector("blk.\(l).attn_k.bias", kvHeads * 64, around: 0, spread: 0.5)
                vector("blk.\(l).attn_v.bias", kvHeads * 64, around: 0, spread: 0.5)
            }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("atcfix-synthetic-\(architecture)-\(seed)-\(getpid()).gguf").path
        try w.write(to: path)
        return SyntheticModel(path: path)
    }
}

@Suite("Synthetic models (qwen2 layout, all kernels)")
struct SyntheticModelTests {
    /// Cosine similarity of two logit vectors after centring (softmax ignores a common shift).
    static func centredCosine(_ a: [Float], _ b: [Float]) -> Double {
        let ma = a.reduce(0, +) / Float(a.count), mb = b.reduce(0, +) / Float(b.count)
        var dot = 0.0, na = 0.0, nb = 0.0
        for i in a.indices {
            let x = Double(a[i] - ma), y = Double(b[i] - mb)
            dot += x * y; na += x * x; nb += y * y
        }
        return dot / (na * nb).squareRoot()
    }

    static let tokens: [Int32] = [5, 17, 250, 3, 99, 42, 7, 280]

    @Test(arguments: ["qwen2", "llama"])
    func fastPathsFollowReference(architecture: String) throws {
        let synthetic = try SyntheticModel.write(architecture: architecture)
        defer { try? FileManager.default.removeItem(atPath: synthetic.path) }
        let model = try LlamaModel(path: synthetic.path)
        #expect(model.configuration.ropeStyle == (architecture == "qwen2" ? .halves : .adjacentPairs))
        #expect(model.layers[0].queryBias != nil || architecture != "qwen2")
        let reference = ReferenceForward(model: model).logits(Self.tokens)
        let session = try LlamaSession(model: model, contextLength: 16)
        session.blasThreshold = 2  // the batch through sgemm (except Q4_1, always integer), decoding through the integer kernels
        try session.evaluate(Self.tokens, logits: .all)
        var lowest = 1.0, agreeing = 0
        for (i, ref) in reference.enumerated() {
            let fast = Array(session.logits(row: i))
            lowest = min(lowest, Self.centredCosine(fast, ref))
            if Sampler.argmax(session.logits(row: i)) == ref.withUnsafeBufferPointer({ Sampler.argmax($0) }) { agreeing += 1 }
        }
        session.reset()
        var lowestDecode = 1.0
        for (i, t) in Self.tokens.enumerated() {
            try session.evaluate([t], logits: .last)
            lowestDecode = min(lowestDecode, Self.centredCosine(Array(session.logits()), reference[i]))
        }
        print("synthetic \(architecture): lowest centred cosine to reference: batch \(lowest), decode \(lowestDecode); top-1 agree \(agreeing)/\(Self.tokens.count)")
        // 8-bit activations perturb each product by ~1%, which keeps logit vectors at cosine
        // > 0.99 (measured 0.995–0.9995); a wrong RoPE pairing, bias, GQA mapping or head falls far
        // lower (the next test measures a wrong pairing).
        #expect(lowest >= 0.99)
        #expect(lowestDecode >= 0.99)
        #expect(agreeing >= Self.tokens.count - 1)
    }

    /// The wrong RoPE pairing is detectable: the same weights read as the other architecture
    /// (without biases) give clearly different logits, so the test above can fail.
    @Test func ropeStyleMatters() throws {
        let a = try SyntheticModel.write(architecture: "llama", seed: 9)
        defer { try? FileManager.default.removeItem(atPath: a.path) }
        let model = try LlamaModel(path: a.path)
        let session = try LlamaSession(model: model, contextLength: 16)
        try session.evaluate(Self.tokens, logits: .last)
        let adjacent = Array(session.logits())
        var swapped = ReferenceForward(model: model)
        swapped.ropeStyleOverride = .halves
        let halves = swapped.logits(Self.tokens).last!
        let cosine = Self.centredCosine(adjacent, halves)
        print("synthetic: centred cosine with the wrong RoPE pairing \(cosine)")
        #expect(cosine < 0.95)
    }

    @Test func unsupportedArchitectureAndTensorTypeAreNamed() throws {
        let gpt2 = try SyntheticModel.write(architecture: "gpt2")
        defer { try? FileManager.default.removeItem(atPath: gpt2.path) }
        do {
            _ = try LlamaModel(path: gpt2.path)
            Issue.record("gpt2 loaded")
        } catch {
            #expect(error.kind == .unsupportedArchitecture("gpt2"))
            #expect(error.description.contains("gpt2"))
        }
        let q5 = try SyntheticModel.write(architecture: "llama", embdType: .q8_0, matrixTypes: [.q8_0], seed: 3)
        defer { try? FileManager.default.removeItem(atPath: q5.path) }
        // Rewrite one tensor type id in place to Q5_0 (same block size, different layout).
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: q5.path)))
        let file = try GGUFFile(path: q5.path)
        var w = GGUFWriter()
        for key in file.metadataKeys { w.set(key, file.metadata[key]!) }
        for t in file.tensors {
            let data = [UInt8](file.tensorData(t))
            if t.name == "blk.0.attn_q.weight" {
                let q5Bytes = [UInt8](repeating: 0, count: t.elementCount / 32 * 22)
                w.add(.init(name: t.name, type: .q5_0, dims: t.dims, data: q5Bytes))
            } else {
                w.add(.init(name: t.name, type: t.type, dims: t.dims, data: data))
            }
        }
        bytes = w.bytes()
        let path = q5.path + ".q5.gguf"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try LlamaModel(path: path)
            Issue.record("q5_0 loaded")
        } catch {
            #expect(error.kind == .unsupportedTensorType(tensor: "blk.0.attn_q.weight", type: "Q5_0"))
            #expect(error.description.contains("Q5_0") && error.description.contains("blk.0.attn_q.weight"))
        }
    }
}
