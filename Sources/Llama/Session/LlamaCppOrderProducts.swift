import Support

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
            let (d, m) = HalfFloat.loadPair(row + 20 * b)
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
            let (d0, m0) = HalfFloat.loadPair(row0 + 20 * b)
            let (d1, m1) = HalfFloat.loadPair(row1 + 20 * b)
            offsets0 = offsets0.addingProduct(m0, scaledSums[b])
            offsets1 = offsets1.addingProduct(m1, scaledSums[b])
            acc0.addProduct(SIMD8(repeating: d0 * scales[b]), QuantisedDot.floats(QuantisedDot.unpackedBlock(scratch0, x, b)))
            acc1.addProduct(SIMD8(repeating: d1 * scales[b]), QuantisedDot.floats(QuantisedDot.unpackedBlock(scratch1, x, b)))
        }
        return (QuantisedDot.horizontalSum(acc0) + offsets0, QuantisedDot.horizontalSum(acc1) + offsets1)
    }

    /// `q4_1` for two rows × two tokens (four independent chains, each exactly `q4_1`'s): each
    /// weight block and each activation block is loaded once for two products, which is what
    /// makes the integer path competitive with sgemm on prompts.
    @inline(__always)
    static func q4_1Quad(_ row0: UnsafeRawPointer, _ row1: UnsafeRawPointer, _ a: QuantisedActivations, _ t: Int,
                         _ scratch0: UnsafeRawPointer, _ scratch1: UnsafeRawPointer) -> (Float, Float, Float, Float) {
        let blocks = a.width / 32
        let first0 = t * blocks, first1 = (t + 1) * blocks
        let x0 = UnsafeRawPointer(a.blockValues + 32 * first0), x1 = UnsafeRawPointer(a.blockValues + 32 * first1)
        let scales0 = a.blockScale + first0, scales1 = a.blockScale + first1
        let sums0 = a.blockScaledSum + first0, sums1 = a.blockScaledSum + first1
        var acc00 = SIMD8<Float>(), acc01 = SIMD8<Float>(), acc10 = SIMD8<Float>(), acc11 = SIMD8<Float>()
        var off00: Float = 0, off01: Float = 0, off10: Float = 0, off11: Float = 0
        for b in 0..<blocks {
            let (d0, m0) = HalfFloat.loadPair(row0 + 20 * b)
            let (d1, m1) = HalfFloat.loadPair(row1 + 20 * b)
            off00 = off00.addingProduct(m0, sums0[b]); off01 = off01.addingProduct(m0, sums1[b])
            off10 = off10.addingProduct(m1, sums0[b]); off11 = off11.addingProduct(m1, sums1[b])
            acc00.addProduct(SIMD8(repeating: d0 * scales0[b]), QuantisedDot.floats(QuantisedDot.unpackedBlock(scratch0, x0, b)))
            acc01.addProduct(SIMD8(repeating: d0 * scales1[b]), QuantisedDot.floats(QuantisedDot.unpackedBlock(scratch0, x1, b)))
            acc10.addProduct(SIMD8(repeating: d1 * scales0[b]), QuantisedDot.floats(QuantisedDot.unpackedBlock(scratch1, x0, b)))
            acc11.addProduct(SIMD8(repeating: d1 * scales1[b]), QuantisedDot.floats(QuantisedDot.unpackedBlock(scratch1, x1, b)))
        }
        return (QuantisedDot.horizontalSum(acc00) + off00, QuantisedDot.horizontalSum(acc01) + off01,
                QuantisedDot.horizontalSum(acc10) + off10, QuantisedDot.horizontalSum(acc11) + off11)
    }

    /// The two orders of llama.cpp's repacked Q4_K products (`q4_K_8x8_q8_K` on AVX2/AVX-512;
    /// llama.cpp repacks every Q4_K matrix with a multiple of 8 rows on this CPU): the GEMM,
    /// which takes tokens four at a time, adds to its float accumulators once per 64 values;
    /// the GEMV (single tokens and the `n mod 4` tokens left over) once per 256.
    enum SuperBlockOrder { case gemm, gemv }

    /// Prepares a row for these kernels: the K-quants unpacked to one byte per value in value
    /// order (Q6_K stored as q+32) into `scratch` (`width` bytes) — the default K-quant kernels
    /// (CLlamaKernels) read packed rows and no longer need this — and the 32-value formats as
    /// `QuantisedDot.unpack` does.
    @inline(__always)
    static func unpack(_ row: UnsafeRawPointer, format: WeightFormat, width: Int, into scratch: UnsafeMutableRawPointer) {
        let supers = width / 256
        switch format {
        case .q4_K:
            for s in 0..<supers {
                let nibbles = row + 144 * s + 16
                for chunk in 0..<4 {
                    let q = nibbles.loadUnaligned(fromByteOffset: 32 * chunk, as: SIMD32<UInt8>.self)
                    scratch.storeBytes(of: QuantisedDot.and(q, 0x0F), toByteOffset: 256 * s + 64 * chunk, as: SIMD32<UInt8>.self)
                    scratch.storeBytes(of: QuantisedDot.shiftRight(q, 4, mask: 0x0F), toByteOffset: 256 * s + 64 * chunk + 32,
                                       as: SIMD32<UInt8>.self)
                }
            }
        case .q6_K:
            for s in 0..<supers {
                let block = row + 210 * s
                for half in 0..<2 {
                    let low0 = (block + 64 * half).loadUnaligned(as: SIMD32<UInt8>.self)
                    let low1 = (block + 64 * half + 32).loadUnaligned(as: SIMD32<UInt8>.self)
                    let high = (block + 128 + 32 * half).loadUnaligned(as: SIMD32<UInt8>.self)
                    // Quarter q holds values 32q…32q+31 of this half: a nibble of low0/low1 plus
                    // two bits of `high`.
                    let out = 256 * s + 128 * half
                    scratch.storeBytes(of: QuantisedDot.or(QuantisedDot.and(low0, 0x0F), QuantisedDot.maskShiftLeft(high, mask: 3, 4)),
                                       toByteOffset: out, as: SIMD32<UInt8>.self)
                    scratch.storeBytes(of: QuantisedDot.or(QuantisedDot.and(low1, 0x0F), QuantisedDot.maskShiftLeft(high, mask: 0x0C, 2)),
                                       toByteOffset: out + 32, as: SIMD32<UInt8>.self)
                    scratch.storeBytes(of: QuantisedDot.or(QuantisedDot.shiftRight(low0, 4, mask: 0x0F), QuantisedDot.and(high, 0x30)),
                                       toByteOffset: out + 64, as: SIMD32<UInt8>.self)
                    scratch.storeBytes(of: QuantisedDot.or(QuantisedDot.shiftRight(low1, 4, mask: 0x0F), QuantisedDot.shiftRight(high, 2, mask: 0x30)),
                                       toByteOffset: out + 96, as: SIMD32<UInt8>.self)
                }
            }
        default:
            QuantisedDot.unpack(row, format: format, width: width, into: scratch)
        }
    }

    /// A Q4_K row (unpacked by `unpack`) · activations row `r`, summed as llama.cpp's
    /// repacked kernels sum it: integer sums per 64 (GEMM) or 256 (GEMV) values, each added
    /// into two fused chains — `fma(Σ, d·d_x, acc)` for the scales and the same with `dmin` for
    /// the mins — and `acc − accMin` at the end. Integer parts are exact in any order.
    @inline(__always)
    static func q4_K(_ row: UnsafeRawPointer, _ a: QuantisedActivations, _ r: Int, _ scratch: UnsafeRawPointer,
                     order: SuperBlockOrder) -> Float {
        let supers = a.width / 256
        let first = r * a.superBlocksPerRow
        var acc: Float = 0, accMin: Float = 0
        for s in 0..<supers {
            let block = row + 144 * s
            let packed = (block + 4).assumingMemoryBound(to: UInt8.self)
            let u = scratch + 256 * s
            let x = UnsafeRawPointer(a.superValues + 256 * (first + s))
            let sums = a.groupSum + 16 * (first + s)
            let dx = a.superScale[first + s]
            let (d, dmin) = HalfFloat.loadPair(block)
            let scale = d * dx, minScale = dmin * dx
            var total: Int32 = 0, totalMin: Int32 = 0
            for chunk in 0..<4 {
                let (sc0, m0) = WeightFormat.q4KScaleMin(packed, 2 * chunk)
                let (sc1, m1) = WeightFormat.q4KScaleMin(packed, 2 * chunk + 1)
                let products = QuantisedDot.unpackedBlock(u, x, 2 * chunk).wrappedSum() &* Int32(sc0)
                    &+ QuantisedDot.unpackedBlock(u, x, 2 * chunk + 1).wrappedSum() &* Int32(sc1)
                let mins = Int32(m0) &* (Int32(sums[4 * chunk]) &+ Int32(sums[4 * chunk + 1]))
                    &+ Int32(m1) &* (Int32(sums[4 * chunk + 2]) &+ Int32(sums[4 * chunk + 3]))
                if order == .gemm {
                    acc = acc.addingProduct(Float(products), scale)
                    accMin = accMin.addingProduct(Float(mins), minScale)
                } else {
                    total &+= products
                    totalMin &+= mins
                }
            }
            if order == .gemv {
                acc = acc.addingProduct(Float(total), scale)
                accMin = accMin.addingProduct(Float(totalMin), minScale)
            }
        }
        return acc - accMin
    }

    /// A Q6_K row (unpacked, values stored as q+32) · activations row `r` in the order of
    /// ggml's AVX2 `ggml_vec_dot_q6_K_q8_K`: eight integer lanes per 256 values (lane l holds
    /// values 4l…4l+3 of every 32, times their scale, minus 32·(scale·sum) of the l-th pair of
    /// 16-value groups), converted and added with one 8-lane FMA chain `fma(d_x·d, lanes, acc)`,
    /// then `hsum_float_8`.
    @inline(__always)
    static func q6_K(_ row: UnsafeRawPointer, _ a: QuantisedActivations, _ r: Int, _ scratch: UnsafeRawPointer) -> Float {
        let supers = a.width / 256
        let first = r * a.superBlocksPerRow
        var acc = SIMD8<Float>()
        for s in 0..<supers {
            let block = row + 210 * s
            let u = scratch + 256 * s
            let x = UnsafeRawPointer(a.superValues + 256 * (first + s))
            let sums = a.groupSum + 16 * (first + s)
            let scales = (block + 192).assumingMemoryBound(to: Int8.self)
            var lanes = SIMD8<Int32>()
            for k in 0..<8 {
                let sc0 = Int32(scales[2 * k]), sc1 = Int32(scales[2 * k + 1])
                lanes &+= QuantisedDot.unpackedBlock(u, x, k) &* SIMD8<Int32>(sc0, sc0, sc0, sc0, sc1, sc1, sc1, sc1)
            }
            for l in 0..<8 {
                let sum0 = Int32(sums[2 * l]), sum1 = Int32(sums[2 * l + 1])
                lanes[l] &-= 32 &* (Int32(scales[2 * l]) &* sum0 &+ Int32(scales[2 * l + 1]) &* sum1)
            }
            let d = a.superScale[first + s] * HalfFloat.load(block, 208)
            acc.addProduct(SIMD8(repeating: d), QuantisedDot.floats(lanes))
        }
        return QuantisedDot.horizontalSum(acc)
    }

    /// A Q8_0 row · activations row `r` as ggml's AVX2 `ggml_vec_dot_q8_0_q8_0` and llamafile's
    /// tinyBLAS (batches) both sum it: per 32-value block, eight integer lanes of four
    /// consecutive products, converted and added with one 8-lane FMA chain `fma(d·d_x, lanes,
    /// acc)`, then `hsum_float_8` (`QuantisedDot.q8_0` pairs values 2l, 2l+1, 16+2l, 17+2l and
    /// keeps two chains). SmolLM2's tied output head.
    @inline(__always)
    static func q8_0(_ row: UnsafeRawPointer, _ a: QuantisedActivations, _ r: Int) -> Float {
        q8_0Pair(row, row, a, r).0
    }

    /// The integer lanes of one Q8_0 block against 16-bit activations `xb`: values 4l…4l+3 in
    /// lane l (|w·x| ≤ 128·127 fits a 16-bit product; `pairAdd` sums values 2k, 2k+1 and the
    /// even/odd halves complete the fours).
    @inline(__always)
    static func q8_0Lanes(_ block: UnsafeRawPointer, _ xb: UnsafeRawPointer) -> SIMD8<Int32> {
        let low = QuantisedDot.pairAdd(QuantisedDot.widen((block + 2).loadUnaligned(as: SIMD16<Int8>.self))
            &* xb.loadUnaligned(as: SIMD16<Int16>.self))
        let high = QuantisedDot.pairAdd(QuantisedDot.widen((block + 18).loadUnaligned(as: SIMD16<Int8>.self))
            &* xb.loadUnaligned(fromByteOffset: 32, as: SIMD16<Int16>.self))
        return SIMD8<Int32>(lowHalf: low.evenHalf &+ low.oddHalf, highHalf: high.evenHalf &+ high.oddHalf)
    }

    /// `q8_0` for two rows at once (independent chains overlap; each result is `q8_0`'s).
    @inline(__always)
    static func q8_0Pair(_ row0: UnsafeRawPointer, _ row1: UnsafeRawPointer, _ a: QuantisedActivations, _ r: Int) -> (Float, Float) {
        let blocks = a.width / 32
        let firstBlock = r * blocks
        let x = UnsafeRawPointer(a.blockValuesWide + 32 * firstBlock)
        let scales = a.blockScale + firstBlock
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        for b in 0..<blocks {
            let xb = x + 64 * b
            let block0 = row0 + 34 * b, block1 = row1 + 34 * b
            acc0.addProduct(SIMD8(repeating: HalfFloat.loadScale(block0) * scales[b]), QuantisedDot.floats(q8_0Lanes(block0, xb)))
            acc1.addProduct(SIMD8(repeating: HalfFloat.loadScale(block1) * scales[b]), QuantisedDot.floats(q8_0Lanes(block1, xb)))
        }
        return (QuantisedDot.horizontalSum(acc0), QuantisedDot.horizontalSum(acc1))
    }

    /// `row · activations[t]` in llama.cpp's order for `format` (Q4_1, Q4_K, Q6_K, Q8_0), token `t`
    /// of `tokens` in the batch (Q4_K's order depends on it); nil for other formats.
    @inline(__always)
    static func dot(_ row: UnsafeRawPointer, format: WeightFormat, _ a: QuantisedActivations, token t: Int, of tokens: Int,
                    scratch: UnsafeRawPointer) -> Float {
        switch format {
        case .q4_1: return q4_1(row, a, t, scratch)
        case .q4_K: return q4_K(row, a, t, scratch, order: t < tokens - tokens % 4 ? .gemm : .gemv)
        case .q6_K: return q6_K(row, a, t, scratch)
        case .q8_0: return q8_0(row, a, t)
        default: preconditionFailure("no llama.cpp-order kernel for \(format)")
        }
    }

    /// Whether `format` has a llama.cpp-order kernel.
    @inline(__always)
    static func hasKernel(_ format: WeightFormat) -> Bool {
        switch format {
        case .q4_1, .q4_K, .q6_K, .q8_0: true
        default: false
        }
    }

    /// Whether these products go through llama.cpp's order: Q4_1 always (its kernel is as fast
    /// as the others), Q8_0, Q4_K and Q6_K when `allFormats` (the session's `llamaCppOrder`).
    /// Fixed arity, no variadic array: called for every projection of every token.
    @inline(__always)
    static func covers(allFormats: Bool, _ a: PackedMatrix, _ b: PackedMatrix? = nil, _ c: PackedMatrix? = nil) -> Bool {
        @inline(__always) func one(_ m: PackedMatrix?) -> Bool {
            guard let m else { return true }
            return m.format == .q4_1 || (allFormats && hasKernel(m.format))
        }
        return one(a) && one(b) && one(c)
    }

    /// One product of `multiply`: the matrix, its output and the output's row stride.
    typealias Product = (matrix: PackedMatrix, output: UnsafeMutablePointer<Float>, stride: Int)

    /// `outputs[k][t][r] = W_k[r] · x[t]` for one to three matrices on the same activations in
    /// one dispatch (Q/K/V, gate/up, or one matrix); each weight row is unpacked once and dotted
    /// with every token. With `swiglu`, `a` and `b` are gate and up and `SiLU(gate)·up`
    /// (llama.cpp's rounding, `VectorOps.swiglu`) is written to `a`'s output. Allocates nothing.
    static func multiply(_ a: Product, _ b: Product? = nil, _ c: Product? = nil, activations: QuantisedActivations,
                         swiglu: Bool = false, pool: WorkerPool) {
        activations.prepare(for: a.matrix.format)
        if let b { activations.prepare(for: b.matrix.format) }
        if let c { activations.prepare(for: c.matrix.format) }
        let tokens = activations.rows
        nonisolated(unsafe) let first = a, second = b, third = c
        if swiglu, let up = second?.matrix {
            let gate = first.matrix, out = first.output, stride = first.stride
            pool.forEachRange(gate.rows, granularity: 16) { range in
                QuantisedDot.withScratch(activations) { g in
                    QuantisedDot.withScratch(activations) { u in
                        for r in range {
                            LlamaCppOrderProducts.unpack(gate.row(r), format: gate.format, width: gate.columns, into: g)
                            LlamaCppOrderProducts.unpack(up.row(r), format: up.format, width: up.columns, into: u)
                            for t in 0..<tokens {
                                out[t * stride + r] = VectorOps.swiglu(
                                    dot(gate.row(r), format: gate.format, activations, token: t, of: tokens, scratch: g),
                                    dot(up.row(r), format: up.format, activations, token: t, of: tokens, scratch: u))
                            }
                        }
                    }
                }
            }
            return
        }
        let firstB = a.matrix.rows, firstC = firstB + (b?.matrix.rows ?? 0), total = firstC + (c?.matrix.rows ?? 0)
        pool.forEachRange(total, granularity: 16) { range in
            QuantisedDot.withScratch(activations) { scratch0 in
                QuantisedDot.withScratch(activations) { scratch1 in
                    var index = range.lowerBound
                    while index < range.upperBound {
                        let (product, start, end) = index < firstB ? (first, 0, firstB)
                            : index < firstC ? (second!, firstB, firstC) : (third!, firstC, total)
                        let w = product.matrix, out = product.output, stride = product.stride
                        let r = index - start
                        LlamaCppOrderProducts.unpack(w.row(r), format: w.format, width: w.columns, into: scratch0)
                        let pairable = (w.format == .q4_1 || w.format == .q8_0) && index + 1 < range.upperBound && index + 1 < end
                        if w.format == .q8_0 && pairable {
                            for t in 0..<tokens {
                                let (v0, v1) = q8_0Pair(w.row(r), w.row(r + 1), activations, t)
                                out[t * stride + r] = v0
                                out[t * stride + r + 1] = v1
                            }
                            index += 2
                        } else if w.format != .q4_1 {
                            for t in 0..<tokens {
                                out[t * stride + r] = dot(w.row(r), format: w.format, activations, token: t, of: tokens, scratch: scratch0)
                            }
                            index += 1
                        } else if pairable {
                            LlamaCppOrderProducts.unpack(w.row(r + 1), format: .q4_1, width: w.columns, into: scratch1)
                            var t = 0
                            while t + 1 < tokens {
                                let (v00, v01, v10, v11) = q4_1Quad(w.row(r), w.row(r + 1), activations, t, scratch0, scratch1)
                                out[t * stride + r] = v00
                                out[(t + 1) * stride + r] = v01
                                out[t * stride + r + 1] = v10
                                out[(t + 1) * stride + r + 1] = v11
                                t += 2
                            }
                            if t < tokens {
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
