/// Q4_1 products summed in exactly llama.cpp's order, so that our hidden states are its hidden
/// states bit for bit (not merely within float rounding).
///
/// Why bother: SmolLM2 amplifies last-bit differences. Two of our own evaluations that differ
/// only in float summation order (integer products vs sgemm) end 30 layers later with logits
/// apart by a median 0.2 — the same gap we had to llama.cpp — because a 1-ulp change upstream
/// flips the rounding of some 8-bit activation, and in a block holding an outlier one 8-bit
/// step is large. Only identical arithmetic gives identical greedy continuations.
///
/// ggml's AVX2/AVX-512 `ggml_vec_dot_q4_1_q8_1` (the path llama.cpp takes for Q4_1 on x86 at
/// every batch size; its sgemm and repacking do not cover Q4_1): per 32-value block, eight
/// integer lanes of four consecutive products each (`vpdpbusd`, which `multiplyAddPairs` +
/// `pairAdd` reproduce exactly — integers), converted to float and accumulated with one fused
/// multiply-add chain `acc = fma(d_w·d_x, lanes, acc)` in block order; the offsets
/// `m·s` in a second scalar chain, also fused (GCC contracts `summs += m*s`; checked in the
/// disassembly of llama-cpp-python 0.3.36's libggml-cpu); then `hsum(acc) + summs`.
/// `QuantisedDot.q4_1` splits both chains in two for latency, which changes the rounding.
enum LlamaCppOrderProducts {
    /// `row · activations[r]` for a Q4_1 row unpacked into `scratch` by `QuantisedDot.unpack`.
    @inline(__always)
    static func q4_1(_ row: UnsafeRawPointer, _ a: QuantisedActivations, _ r: Int, _ scratch: UnsafeRawPointer) -> Float {
        let blocks = a.width / 32
        let firstBlock = r * blocks
        let x = UnsafeRawPointer(a.blockValues + 32 * firstBlock)
        let scales = a.blockScale + firstBlock, scaledSums = a.blockScaledSum + firstBlock
        var acc = SIMD8<Float>()
        var offsets: Float = 0
        for b in 0..<blocks {
            let (d, m) = Half.loadPair(row + 20 * b)
            offsets = offsets.addingProduct(m, scaledSums[b])
            acc.addProduct(SIMD8(repeating: d * scales[b]), QuantisedDot.floats(QuantisedDot.unpackedBlock(scratch, x, b)))
        }
        return QuantisedDot.horizontalSum(acc) + offsets
    }

    /// `q4_1` for two rows against the same activations at once: each row keeps its own single
    /// chains (so each result is exactly `q4_1`'s), but the two independent chains overlap in
    /// the pipeline — what `QuantisedDot` gains from splitting one row's chain in two, without
    /// changing the rounding.
    @inline(__always)
    static func q4_1Pair(_ row0: UnsafeRawPointer, _ row1: UnsafeRawPointer, _ a: QuantisedActivations, _ r: Int,
                         _ scratch0: UnsafeRawPointer, _ scratch1: UnsafeRawPointer) -> (Float, Float) {
        let blocks = a.width / 32
        let firstBlock = r * blocks
        let x = UnsafeRawPointer(a.blockValues + 32 * firstBlock)
        let scales = a.blockScale + firstBlock, scaledSums = a.blockScaledSum + firstBlock
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        var offsets0: Float = 0, offsets1: Float = 0
        for b in 0..<blocks {
            let (d0, m0) = Half.loadPair(row0 + 20 * b)
            let (d1, m1) = Half.loadPair(row1 + 20 * b)
            offsets0 = offsets0.addingProduct(m0, scaledSums[b])
            offsets1 = offsets1.addingProduct(m1, scaledSums[b])
            acc0.addProduct(SIMD8(repeating: d0 * scales[b]), QuantisedDot.floats(QuantisedDot.unpackedBlock(scratch0, x, b)))
            acc1.addProduct(SIMD8(repeating: d1 * scales[b]), QuantisedDot.floats(QuantisedDot.unpackedBlock(scratch1, x, b)))
        }
        return (QuantisedDot.horizontalSum(acc0) + offsets0, QuantisedDot.horizontalSum(acc1) + offsets1)
    }

    /// Whether `q4_1` applies to every matrix (all Q4_1).
    static func covers(_ matrices: PackedMatrix...) -> Bool {
        matrices.allSatisfy { $0.format == .q4_1 }
    }

    /// `outputs[k][t][r] = W_k[r] · x[t]` for several Q4_1 matrices on the same activations in
    /// one dispatch (Q/K/V, gate/up, or one matrix with its own output stride); each weight
    /// row is unpacked once and dotted with every token. With `swiglu`, the two matrices are
    /// gate and up and `SiLU(gate)·up` (llama.cpp's rounding, `VectorOps.swiglu`) is
    /// written to the first output.
    static func multiply(_ products: [(PackedMatrix, UnsafeMutablePointer<Float>, Int)], activations: QuantisedActivations,
                         swiglu: Bool = false, pool: WorkerPool) {
        activations.prepare(for: .q4_1)
        let tokens = activations.rows
        nonisolated(unsafe) let items = products
        if swiglu {
            let (gate, out, stride) = items[0], up = items[1].0
            pool.forEachRange(gate.rows, granularity: 16) { range in
                QuantisedDot.withScratch(activations) { g in
                    QuantisedDot.withScratch(activations) { u in
                        for r in range {
                            QuantisedDot.unpack(gate.row(r), format: .q4_1, width: gate.columns, into: g)
                            QuantisedDot.unpack(up.row(r), format: .q4_1, width: up.columns, into: u)
                            for t in 0..<tokens {
                                out[t * stride + r] = VectorOps.swiglu(
                                    q4_1(gate.row(r), activations, t, g), q4_1(up.row(r), activations, t, u))
                            }
                        }
                    }
                }
            }
            return
        }
        var starts: [Int] = [0]
        for (w, _, _) in items { starts.append(starts.last! + w.rows) }
        nonisolated(unsafe) let firsts = starts
        pool.forEachRange(starts.last!, granularity: 16) { range in
            QuantisedDot.withScratch(activations) { scratch0 in
                QuantisedDot.withScratch(activations) { scratch1 in
                    var k = 0
                    var index = range.lowerBound
                    while index < range.upperBound {
                        while index >= firsts[k + 1] { k += 1 }
                        let (w, out, stride) = items[k]
                        let r = index - firsts[k]
                        QuantisedDot.unpack(w.row(r), format: .q4_1, width: w.columns, into: scratch0)
                        if index + 1 < range.upperBound && index + 1 < firsts[k + 1] {
                            QuantisedDot.unpack(w.row(r + 1), format: .q4_1, width: w.columns, into: scratch1)
                            for t in 0..<tokens {
                                let (v0, v1) = q4_1Pair(w.row(r), w.row(r + 1), activations, t, scratch0, scratch1)
                                out[t * stride + r] = v0
                                out[t * stride + r + 1] = v1
                            }
                            index += 2
                        } else {
                            for t in 0..<tokens { out[t * stride + r] = q4_1(w.row(r), activations, t, scratch0) }
                            index += 1
                        }
                    }
                }
            }
        }
    }
}
