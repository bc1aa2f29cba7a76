import CLlamaKernels
import Support

/// Fast dot products of one packed weight row with one quantised activation row.
///
/// Integer products are summed per block and scaled once per block, as in ggml. Swift has no
/// intrinsics and its generic SIMD conversions (`SIMD16<Int16>(truncatingIfNeeded:)`) compile to
/// out-of-line calls, so the kernels are written in shapes LLVM lowers to single instructions —
/// checked with `swiftc -Ounchecked -wmo -target-cpu haswell -emit-assembly`: lane loops that
/// become `vpmovsxbw`, bit-cast 16-bit lane shifts for byte work, and the clamped pair sums of
/// `multiplyAddPairs` that become `vpmaddubsw`. The K-quant (Q4_K, Q6_K) products live in C
/// (CLlamaKernels; its header says why). Every kernel is tested against the
/// dequantise-then-f32 reference (`ReferenceKernels`).
enum QuantisedDot {
    /// `row · activations[r]` for a row of `width` values in `format`. `scratch` holds `width`
    /// bytes (the 32-value 4-bit kernels unpack the row there; see `multiplyAddPairs`): one
    /// buffer per thread, reused for every row.
    @inline(__always)
    static func dot(
        _ row: UnsafeRawPointer, format: WeightFormat, _ a: QuantisedActivations, row r: Int,
        scratch: UnsafeMutableRawPointer
    ) -> Float {
        unpack(row, format: format, width: a.width, into: scratch)
        return dotUnpacked(row, format: format, a, row: r, scratch: scratch)
    }

    /// `dot` for a row `unpack` has already put into `scratch`.
    @inline(__always)
    static func dotUnpacked(
        _ row: UnsafeRawPointer, format: WeightFormat, _ a: QuantisedActivations, row r: Int,
        scratch: UnsafeMutableRawPointer
    ) -> Float {
        switch format {
        case .q4_1: return q4_1(row, a, r, scratch)
        case .q4_0: return q4_0(row, a, r, scratch)
        case .q8_0: return q8_0(row, a, r)
        case .q4_K, .q6_K: return kQuant(row, format: format, a, r)
        case .f32: return f32(row.assumingMemoryBound(to: Float.self), a.floats(r), a.width)
        case .f16: return f16(row, a.floats(r), a.width)
        }
    }

    /// `dot` with its own scratch (one-off products and tests).
    static func dot(_ row: UnsafeRawPointer, format: WeightFormat, _ a: QuantisedActivations, row r: Int) -> Float {
        withScratch(a) { dot(row, format: format, a, row: r, scratch: $0) }
    }

    /// Runs `body` with scratch memory for rows of `a`'s width (on the stack when small).
    @inline(__always)
    static func withScratch<R>(_ a: QuantisedActivations, _ body: (UnsafeMutableRawPointer) -> R) -> R {
        withUnsafeTemporaryAllocation(byteCount: a.width, alignment: 32) { body($0.baseAddress!) }
    }

    /// Bytewise helpers on 32 bytes, computed on 16-bit lanes: Swift 6.3 lowers `&`, `|` and
    /// shifts of `SIMD32<UInt8>` lane by lane through memory (measured 60× slower), while
    /// `SIMD16<UInt16>` operations compile to single AVX2 instructions. Masks keep shifted bits
    /// from crossing into the neighbouring byte.
    @inline(__always)
    static func and(_ v: SIMD32<UInt8>, _ mask: UInt8) -> SIMD32<UInt8> {
        unsafeBitCast(unsafeBitCast(v, to: SIMD16<UInt16>.self) & SIMD16(repeating: UInt16(mask) | UInt16(mask) << 8), to: SIMD32<UInt8>.self)
    }

    /// Bytewise or (see `and`).
    @inline(__always)
    static func or(_ a: SIMD32<UInt8>, _ b: SIMD32<UInt8>) -> SIMD32<UInt8> {
        unsafeBitCast(unsafeBitCast(a, to: SIMD16<UInt16>.self) | unsafeBitCast(b, to: SIMD16<UInt16>.self), to: SIMD32<UInt8>.self)
    }

    /// Bytes shifted right by `n` then masked (see `and`).
    @inline(__always)
    static func shiftRight(_ v: SIMD32<UInt8>, _ n: UInt16, mask: UInt8) -> SIMD32<UInt8> {
        let wide = unsafeBitCast(v, to: SIMD16<UInt16>.self) &>> n
        return unsafeBitCast(wide & SIMD16(repeating: UInt16(mask) | UInt16(mask) << 8), to: SIMD32<UInt8>.self)
    }

    /// Bytes masked then shifted left by `n` (the mask keeps bits from crossing into the next byte).
    @inline(__always)
    static func maskShiftLeft(_ v: SIMD32<UInt8>, mask: UInt8, _ n: UInt16) -> SIMD32<UInt8> {
        let wide = unsafeBitCast(v, to: SIMD16<UInt16>.self) & SIMD16(repeating: UInt16(mask) | UInt16(mask) << 8)
        return unsafeBitCast(wide &<< n, to: SIMD32<UInt8>.self)
    }

    /// Lane-wise int → float (compiles to one `vcvtdq2ps`).
    @inline(__always)
    static func floats(_ v: SIMD8<Int32>) -> SIMD8<Float> {
        var f = SIMD8<Float>()
        for l in 0..<8 { f[l] = Float(v[l]) }
        return f
    }

    /// The 32 nibbles of a Q4 block in value order (low nibbles = values 0–15, high = 16–31).
    @inline(__always)
    static func nibbles(_ p: UnsafeRawPointer) -> SIMD32<UInt8> {
        let packed = p.loadUnaligned(as: SIMD16<UInt8>.self)
        return SIMD32<UInt8>(lowHalf: packed & 0x0F, highHalf: packed &>> 4)
    }

    /// Sums 16-bit lanes pairwise into 32-bit lanes (arithmetic shifts sign-extend).
    @inline(__always)
    static func pairAdd(_ p: SIMD16<Int16>) -> SIMD8<Int32> {
        let p32 = unsafeBitCast(p, to: SIMD8<Int32>.self)
        return ((p32 &<< 16) &>> 16) &+ (p32 &>> 16)
    }

    /// Sign-extends 16 bytes to 16-bit lanes (`vpmovsxbw`).
    @inline(__always)
    static func widen(_ v: SIMD16<Int8>) -> SIMD16<Int16> {
        var r = SIMD16<Int16>()
        for i in 0..<16 { r[i] = Int16(v[i]) }
        return r
    }

    /// Horizontal sum in ggml's order (`hsum_float_8`: halves, then quarters, then pairs), so
    /// our rounding follows llama.cpp's where it is cheap to.
    @inline(__always)
    static func horizontalSum(_ v: SIMD8<Float>) -> Float {
        let four = v.lowHalf + v.highHalf
        let two = four.lowHalf + four.highHalf
        return two[0] + two[1]
    }

    /// `vpmaddubsw`: Σ of adjacent pairs of unsigned-byte × signed-byte products, saturated to
    /// 16 bits, written so that LLVM's x86 back end recognises the pattern (a 16-lane build of
    /// clamped pair sums; checked with `-emit-assembly`). LLVM drops the clamp, and with it the
    /// pattern, when it can prove the sums cannot overflow — e.g. when it sees the weights were
    /// masked to 4 bits in the same function — so the 4-bit kernels first unpack a row's nibbles
    /// to memory and feed them back from loads. Without the instruction (another back end) this
    /// still computes the same sums, only slower.
    @_transparent
    static func multiplyAddPairs(_ a: SIMD32<UInt8>, _ b: SIMD32<Int8>) -> SIMD16<Int16> {
        @_transparent func pair(_ i: Int) -> Int16 {
            Int16(clamping: Int32(a[2 * i]) &* Int32(b[2 * i]) &+ Int32(a[2 * i + 1]) &* Int32(b[2 * i + 1]))
        }
        return SIMD16<Int16>(pair(0), pair(1), pair(2), pair(3), pair(4), pair(5), pair(6), pair(7),
                             pair(8), pair(9), pair(10), pair(11), pair(12), pair(13), pair(14), pair(15))
    }

    /// A row of 4-bit blocks (`blockBytes` apart, nibbles at `nibbleOffset`) unpacked to one
    /// byte per value in value order, 32 bytes per block, into `unpacked`.
    @inline(__always)
    static func unpackNibbles(_ row: UnsafeRawPointer, blocks: Int, blockBytes: Int, nibbleOffset: Int,
                              into unpacked: UnsafeMutableRawPointer) {
        for b in 0..<blocks {
            unpacked.storeBytes(of: nibbles(row + blockBytes * b + nibbleOffset), toByteOffset: 32 * b, as: SIMD32<UInt8>.self)
        }
    }

    /// Σ w·x of block `b` of unpacked 4-bit weights and 8-bit activations, as 8 Int32 lanes
    /// (lane l holds values 2l, 2l+1, 16+2l… as `pairAdd` folds them).
    @_transparent
    static func unpackedBlock(_ unpacked: UnsafeRawPointer, _ x: UnsafeRawPointer, _ b: Int) -> SIMD8<Int32> {
        pairAdd(multiplyAddPairs(unpacked.loadUnaligned(fromByteOffset: 32 * b, as: SIMD32<UInt8>.self),
                                 x.loadUnaligned(fromByteOffset: 32 * b, as: SIMD32<Int8>.self)))
    }

    // The 32-value kernels keep two accumulators (even and odd blocks): with one, the chain of
    // dependent FMAs bounded the loop (Q8_0 head rows 1.4× slower). Blocks are written out
    // rather than through a nested function, which LLVM did not always inline.

    static func q4_1(_ row: UnsafeRawPointer, _ a: QuantisedActivations, _ r: Int, _ scratch: UnsafeMutableRawPointer) -> Float {
        let blocks = a.width / 32
        let firstBlock = r * blocks
        let u = UnsafeRawPointer(scratch)
        let x = UnsafeRawPointer(a.blockValues + 32 * firstBlock)
        let scales = a.blockScale + firstBlock, scaledSums = a.blockScaledSum + firstBlock
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        var offsets0: Float = 0, offsets1: Float = 0
        var b = 0
        while b + 1 < blocks {
            let (d0, m0) = HalfFloat.loadPair(row + 20 * b)
            acc0.addProduct(floats(unpackedBlock(u, x, b)), SIMD8(repeating: d0 * scales[b]))
            offsets0 += m0 * scaledSums[b]
            let (d1, m1) = HalfFloat.loadPair(row + 20 * (b + 1))
            acc1.addProduct(floats(unpackedBlock(u, x, b + 1)), SIMD8(repeating: d1 * scales[b + 1]))
            offsets1 += m1 * scaledSums[b + 1]
            b += 2
        }
        if b < blocks {
            let (d0, m0) = HalfFloat.loadPair(row + 20 * b)
            acc0.addProduct(floats(unpackedBlock(u, x, b)), SIMD8(repeating: d0 * scales[b]))
            offsets0 += m0 * scaledSums[b]
        }
        return horizontalSum(acc0 + acc1) + (offsets0 + offsets1)
    }

    static func q4_0(_ row: UnsafeRawPointer, _ a: QuantisedActivations, _ r: Int, _ scratch: UnsafeMutableRawPointer) -> Float {
        let blocks = a.width / 32
        let firstBlock = r * blocks
        let u = UnsafeRawPointer(scratch)
        let x = UnsafeRawPointer(a.blockValues + 32 * firstBlock)
        let scales = a.blockScale + firstBlock, sums = a.blockSum + firstBlock
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        var b = 0
        // The stored nibbles are q+8: take 8·Σx out of each block's integer sum.
        while b + 1 < blocks {
            var sums0 = unpackedBlock(u, x, b)
            sums0[0] &-= 8 &* sums[b]
            acc0.addProduct(floats(sums0), SIMD8(repeating: HalfFloat.loadScale(row + 18 * b) * scales[b]))
            var sums1 = unpackedBlock(u, x, b + 1)
            sums1[0] &-= 8 &* sums[b + 1]
            acc1.addProduct(floats(sums1), SIMD8(repeating: HalfFloat.loadScale(row + 18 * (b + 1)) * scales[b + 1]))
            b += 2
        }
        if b < blocks {
            var sums0 = unpackedBlock(u, x, b)
            sums0[0] &-= 8 &* sums[b]
            acc0.addProduct(floats(sums0), SIMD8(repeating: HalfFloat.loadScale(row + 18 * b) * scales[b]))
        }
        return horizontalSum(acc0 + acc1)
    }

    static func q8_0(_ row: UnsafeRawPointer, _ a: QuantisedActivations, _ r: Int) -> Float {
        let blocks = a.width / 32
        let firstBlock = r * blocks
        let x = UnsafeRawPointer(a.blockValuesWide + 32 * firstBlock)
        let scales = a.blockScale + firstBlock
        var acc = (SIMD8<Float>(), SIMD8<Float>())
        @inline(__always)
        func block(_ b: Int, _ acc: inout SIMD8<Float>) {
            let block = row + 34 * b
            let xb = x + 64 * b
            // |w·x| ≤ 128·127, so two products still fit a 16-bit lane.
            let low = widen((block + 2).loadUnaligned(as: SIMD16<Int8>.self))
            let high = widen((block + 18).loadUnaligned(as: SIMD16<Int8>.self))
            let sums = pairAdd(low &* xb.loadUnaligned(as: SIMD16<Int16>.self)
                               &+ high &* xb.loadUnaligned(fromByteOffset: 32, as: SIMD16<Int16>.self))
            acc.addProduct(floats(sums), SIMD8(repeating: HalfFloat.loadScale(block) * scales[b]))
        }
        var b = 0
        while b + 1 < blocks {
            block(b, &acc.0)
            block(b + 1, &acc.1)
            b += 2
        }
        if b < blocks { block(b, &acc.0) }
        return horizontalSum(acc.0 + acc.1)
    }

    /// Prepares row `row` of `width` values for `dotUnpacked`: the 32-value 4-bit formats
    /// unpack it to one byte per value into `scratch` (`width` bytes); the others need nothing.
    /// A batch unpacks each row once and dots it with every token.
    @inline(__always)
    static func unpack(_ row: UnsafeRawPointer, format: WeightFormat, width: Int, into scratch: UnsafeMutableRawPointer) {
        switch format {
        case .q4_1: unpackNibbles(row, blocks: width / 32, blockBytes: 20, nibbleOffset: 4, into: scratch)
        case .q4_0: unpackNibbles(row, blocks: width / 32, blockBytes: 18, nibbleOffset: 2, into: scratch)
        case .q8_0, .q4_K, .q6_K, .f32, .f16: break
        }
    }

    /// One K-quant row · activation row `r`, through the C kernels (see CLlamaKernels.h).
    @inline(__always)
    static func kQuant(_ row: UnsafeRawPointer, format: WeightFormat, _ a: QuantisedActivations, _ r: Int) -> Float {
        var result: Float = 0
        kQuantProduct(row, format: format, rowBytes: format.rowBytes(a.width), rows: 1, a, tokens: r..<(r + 1),
                      into: &result, outputStride: 1)
        return result
    }

    /// `output[(t − tokens.lowerBound)·outputStride + i] = row_i · a[t]` for `rows` consecutive
    /// Q4_K or Q6_K rows from `first` (`rowBytes` apart): the C kernels take four (AVX2) or
    /// eight (AVX-512 VNNI) tokens per pass over a tile of rows, so a batch decodes each weight
    /// chunk once per group of tokens.
    @inline(__always)
    static func kQuantProduct(_ first: UnsafeRawPointer, format: WeightFormat, rowBytes: Int, rows: Int,
                              _ a: QuantisedActivations, tokens: Range<Int>,
                              into output: UnsafeMutablePointer<Float>, outputStride: Int) {
        let supers = a.superBlocksPerRow
        precondition(supers * 256 == a.width, "K-quant rows are whole super-blocks")
        let t0 = tokens.lowerBound
        let q = a.superValues + 256 * supers * t0, scale = a.superScale + supers * t0, sums = a.groupSum + 16 * supers * t0
        if format == .q4_K {
            lk_q4k_q8k(first, rowBytes, rows, q, scale, sums, supers, tokens.count, output, outputStride)
        } else {
            lk_q6k_q8k(first, rowBytes, rows, q, scale, sums, supers, tokens.count, output, outputStride)
        }
    }

    static func f32(_ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var sum: Float = 0
        for i in 0..<n { sum += w[i] * x[i] }
        return sum
    }

    static func f16(_ w: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var sum: Float = 0
        for i in 0..<n { sum += HalfFloat.load(w, 2 * i) * x[i] }
        return sum
    }
}
