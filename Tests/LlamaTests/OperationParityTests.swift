import Foundation
import Testing
@testable import Llama

/// Diagnostic, opt-in: every operation of our forward pass fed llama.cpp's own input for that
/// operation (dumped by `scripts/fixtures/dump-llama-tensors.py`) and compared with llama.cpp's output.
/// Comparing whole passes only shows the accumulated drift; this shows which operation rounds
/// differently and by how much. Run with `ATCFIX_LLAMA_DUMP=DIR` (a dump of SmolLM2 Q4_1, or of
/// Qwen2.5-Coder-1.5B Q4_K_M with `ATCFIX_LLAMA_DUMP_MODEL=qwen`).
@Suite("llama.cpp parity per operation (opt-in diagnostic)",
       .enabled(if: OperationDump.directory != nil && TestModels.haveSmolLM, "set ATCFIX_LLAMA_DUMP to a scripts/fixtures/dump-llama-tensors.py output directory"))
struct OperationParityTests {
    @Test func eachOperationAgainstLlamaCpp() throws {
        let dump = try #require(OperationDump(directory: OperationDump.directory!))
        let qwen = ProcessInfo.processInfo.environment["ATCFIX_LLAMA_DUMP_MODEL"] == "qwen"
        let model = try #require(qwen ? TestModels.qwen : TestModels.smolLM)
        let c = model.configuration
        let n = dump.tokens.count, d = c.embeddingWidth, kv = c.kvWidth, hd = c.headWidth
        let qWidth = c.headCount * hd
        let pool = WorkerPool(threadCount: 2)
        var report = OperationReport()

        func project(_ w: PackedMatrix, _ input: [Float], blas: Bool) -> [Float] {
            let acts = QuantisedActivations(width: w.columns, capacity: n)
            var out = [Float](repeating: 0, count: n * w.rows)
            input.withUnsafeBufferPointer { acts.load($0.baseAddress!, rows: n) }
            out.withUnsafeMutableBufferPointer { o in
                if blas {
                    let tiles = UnsafeMutablePointer<Float>.allocate(capacity: 2 * 64 * w.columns)
                    defer { tiles.deallocate() }
                    MatrixProduct.multiplyBLAS(w, acts, into: o.baseAddress!, outputStride: w.rows, scratch: tiles, tileRows: 64, pool: pool)
                } else if LlamaCppOrderProducts.covers(allFormats: true, w) {
                    LlamaCppOrderProducts.multiply((w, o.baseAddress!, w.rows), activations: acts, pool: pool)
                } else {
                    MatrixProduct.multiply(w, acts, into: o.baseAddress!, outputStride: w.rows, pool: pool)
                }
            }
            return out
        }
        func norm(_ x: [Float], _ gain: [Float]) -> [Float] {
            var out = [Float](repeating: 0, count: x.count)
            for i in 0..<n {
                x.withUnsafeBufferPointer { xp in
                    out.withUnsafeMutableBufferPointer { op in
                        VectorOps.rmsNorm(xp.baseAddress! + i * d, gain: gain, epsilon: c.rmsEpsilon, into: op.baseAddress! + i * d, d)
                    }
                }
            }
            return out
        }
        let pairs = c.ropeDimensions / 2
        var cosines = [Float](repeating: 0, count: n * pairs), sines = cosines
        cosines.withUnsafeMutableBufferPointer { cp in
            sines.withUnsafeMutableBufferPointer { sp in
                for i in 0..<n {
                    VectorOps.ropeAngles(position: i, dimensions: c.ropeDimensions, base: c.ropeFrequencyBase,
                                         cosines: cp.baseAddress! + i * pairs, sines: sp.baseAddress! + i * pairs)
                }
            }
        }
        func rope(_ x: [Float], heads: Int) -> [Float] {
            var out = x
            out.withUnsafeMutableBufferPointer { op in
                for i in 0..<n {
                    for h in 0..<heads {
                        VectorOps.rope(op.baseAddress! + (i * heads + h) * hd, dimensions: c.ropeDimensions, style: c.ropeStyle,
                                       cosines: cosines.withUnsafeBufferPointer { $0.baseAddress! } + i * pairs,
                                       sines: sines.withUnsafeBufferPointer { $0.baseAddress! } + i * pairs)
                    }
                }
            }
            return out
        }

        var embeddings = [Float](repeating: 0, count: n * d)
        embeddings.withUnsafeMutableBufferPointer { e in
            for (i, t) in dump.tokens.enumerated() { model.tokenEmbedding.dequantiseRow(Int(t), into: e.baseAddress! + i * d) }
        }
        report.add("token embedding", embeddings, try dump.load("embd"))
        for (l, w) in model.layers.enumerated() {
            let input = try dump.load(l == 0 ? "embd" : "l_out-\(l - 1)")
            report.add("attn_norm", norm(input, w.attentionNorm), try dump.load("attn_norm-\(l)"))
            let normed = try dump.load("attn_norm-\(l)")
            for blas in [false, true] {
                let tag = blas ? " (sgemm)" : " (int)"
                report.add("q" + tag, project(w.query, normed, blas: blas), try dump.load("Qcur-\(l)"))
                report.add("k" + tag, project(w.key, normed, blas: blas), try dump.load("Kcur-\(l)"))
                report.add("v" + tag, project(w.value, normed, blas: blas), try dump.load("Vcur-\(l)"))
            }
            // With biases (qwen2) llama.cpp adds them as separate nodes of the same name.
            let biased = w.queryBias != nil
            if let qb = w.queryBias, let kb = w.keyBias, let vb = w.valueBias {
                func add(_ x: [Float], _ bias: [Float]) -> [Float] { x.enumerated().map { $0.element + bias[$0.offset % bias.count] } }
                report.add("bias q", add(try dump.load("Qcur-\(l)"), qb), try dump.load("Qcur-\(l).1"))
                report.add("bias k", add(try dump.load("Kcur-\(l)"), kb), try dump.load("Kcur-\(l).1"))
                report.add("bias v", add(try dump.load("Vcur-\(l)"), vb), try dump.load("Vcur-\(l).1"))
            }
            let rotated = biased ? 3 : 2, unrotated = biased ? ".1" : ""
            let qr = try dump.load("Qcur-\(l).\(rotated)"), kr = try dump.load("Kcur-\(l).\(rotated)")
            report.add("rope q", rope(try dump.load("Qcur-\(l)\(unrotated)"), heads: c.headCount), qr)
            report.add("rope k", rope(try dump.load("Kcur-\(l)\(unrotated)"), heads: c.kvHeadCount), kr)
            // Attention on llama.cpp's rotated q/k and its v.
            let keys = kr.map { Float16($0) }, values = try dump.load("Vcur-\(l)\(unrotated)").map { Float16($0) }
            var attention = [Float](repeating: 0, count: n * qWidth)
            var scores = [Float](repeating: 0, count: n)
            var accumulators = [Float](repeating: 0, count: 64 * hd)
            var query = qr
            let kp = keys.withUnsafeBufferPointer { $0.baseAddress! }
            let vp = values.withUnsafeBufferPointer { $0.baseAddress! }
            query.withUnsafeMutableBufferPointer { qp in
                attention.withUnsafeMutableBufferPointer { ap in
                    scores.withUnsafeMutableBufferPointer { sp in
                      accumulators.withUnsafeMutableBufferPointer { accp in
                        for i in 0..<n {
                            for h in 0..<c.headCount {
                                let kvh = h / (c.headCount / c.kvHeadCount)
                                LayerKernels.attend(query: qp.baseAddress! + i * qWidth + h * hd, keys: kp + kvh * hd,
                                                    values: vp + kvh * hd, stride: kv, visible: i + 1, width: hd,
                                                    scale: 1 / Float(hd).squareRoot(), order: .tiled, scores: sp.baseAddress!,
                                                    accumulators: accp.baseAddress!, into: ap.baseAddress! + i * qWidth + h * hd)
                            }
                        }
                      }
                    }
                }
            }
            report.add("attention", attention, try dump.load("kqv_out-\(l)"))
            let attnIn = try dump.load("kqv_out-\(l)")
            for blas in [false, true] {
                report.add("attn_out" + (blas ? " (sgemm)" : " (int)"), project(w.output, attnIn, blas: blas),
                           try dump.load(dump.node(producedFrom: "blk.\(l).attn_output.weight") ?? "attn_out-\(l)"))
            }
            let ffnInput = try dump.load("ffn_inp-\(l)")
            report.add("ffn_norm", norm(ffnInput, w.feedForwardNorm), try dump.load("ffn_norm-\(l)"))
            let ffnNormed = try dump.load("ffn_norm-\(l)")
            for blas in [false, true] {
                let tag = blas ? " (sgemm)" : " (int)"
                report.add("gate" + tag, project(w.gate, ffnNormed, blas: blas), try dump.load("ffn_gate-\(l)"))
                report.add("up" + tag, project(w.up, ffnNormed, blas: blas), try dump.load("ffn_up-\(l)"))
            }
            let gate = try dump.load("ffn_gate-\(l)"), up = try dump.load("ffn_up-\(l)")
            report.add("swiglu", zip(gate, up).map { VectorOps.swiglu($0.0, $0.1) }, try dump.load("ffn_swiglu-\(l)"))
            let swiglu = try dump.load("ffn_swiglu-\(l)")
            for blas in [false, true] {
                report.add("down" + (blas ? " (sgemm)" : " (int)"), project(w.down, swiglu, blas: blas), try dump.load("ffn_out-\(l)"))
            }
        }
        let last = try dump.load("l_out-\(c.layerCount - 1)")
        report.add("output_norm", norm(last, model.outputNorm), try dump.load("result_norm"))
        let finalNormed = try dump.load("result_norm")
        for blas in [false, true] {
            report.add("head" + (blas ? " (sgemm)" : " (int)"), project(model.outputHead, finalNormed, blas: blas), try dump.load("result_output"))
        }
        // The whole pass (integer products at every batch size), against llama.cpp's logits.
        let session = try LlamaSession(model: model, contextLength: 256)
        session.llamaCppOrder = true
        try session.evaluate(dump.tokens, logits: .all)
        var logits: [Float] = []
        for i in 0..<n { logits += Array(session.logits(row: i)) }
        report.add("whole pass logits", logits, try dump.load("result_output"))
        report.print()
    }
}

/// The tensors `scripts/fixtures/dump-llama-tensors.py` wrote.
struct OperationDump {
    static var directory: String? { ProcessInfo.processInfo.environment["ATCFIX_LLAMA_DUMP"] }
    let directory: String
    let tokens: [Int32]

    init?(directory: String) {
        guard let data = FileManager.default.contents(atPath: directory + "/tokens.i32") else { return nil }
        self.directory = directory
        tokens = data.withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
    }

    /// The file key of the node computed from `source` (llama.cpp leaves some nodes unnamed,
    /// e.g. qwen2's attention output projection is `node_31`).
    func node(producedFrom source: String) -> String? {
        guard let text = try? String(contentsOfFile: directory + "/graph.txt", encoding: .utf8) else { return nil }
        var seen: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            guard fields.count >= 6 else { continue }
            let name = fields[0].replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: " ", with: "_")
            let count = seen[name, default: 0]
            seen[name] = count + 1
            if fields[5].contains("'\(source)'") { return count == 0 ? name : "\(name).\(count)" }
        }
        return nil
    }

    func load(_ name: String) throws -> [Float] {
        let path = directory + "/" + name + ".f32"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DumpError(message: "\(path) is missing: re-run scripts/fixtures/dump-llama-tensors.py")
        }
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    struct DumpError: Error, CustomStringConvertible { let message: String; var description: String { message } }
}

/// Per operation: the largest difference relative to the largest llama.cpp value of that
/// tensor, the largest absolute difference, and the share of values that are bit-identical.
struct OperationReport {
    struct Line { var worstRelative: Double = 0; var worstAbsolute: Float = 0; var identical = 0; var count = 0 }
    var order: [String] = []
    var lines: [String: Line] = [:]

    mutating func add(_ op: String, _ ours: [Float], _ theirs: [Float]) {
        precondition(ours.count == theirs.count, "\(op): \(ours.count) vs \(theirs.count) values")
        if lines[op] == nil { order.append(op); lines[op] = Line() }
        let scale = Double(theirs.map { abs($0) }.max() ?? 1)
        var line = lines[op]!
        for (a, b) in zip(ours, theirs) {
            let diff = abs(a - b)
            line.worstAbsolute = max(line.worstAbsolute, diff)
            line.worstRelative = max(line.worstRelative, Double(diff) / max(scale, 1e-30))
            if a == b { line.identical += 1 }
        }
        line.count += ours.count
        lines[op] = line
    }

    func print() {
        for op in order {
            let l = lines[op]!
            Swift.print(String(format: "op %-18@ identical %6.2f%%  worst |diff| %.3g  worst diff/max %.3g",
                               op as NSString, 100 * Double(l.identical) / Double(l.count), Double(l.worstAbsolute), l.worstRelative))
        }
    }
}
