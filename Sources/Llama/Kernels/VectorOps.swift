import CLlamaKernels
import Foundation

/// Small f32 vector operations of the forward pass, written with explicit `SIMD16<Float>`
/// accumulators because Swift keeps strict IEEE ordering and never vectorises a float reduction
/// on its own.
enum VectorOps {
    /// `Σ a[i]·b[i]` over `n` values.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>()
        var i = 0
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        while i + 32 <= n {
            acc0 += ra.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self) * rb.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
            acc1 += ra.loadUnaligned(fromByteOffset: 4 * i + 64, as: SIMD16<Float>.self) * rb.loadUnaligned(fromByteOffset: 4 * i + 64, as: SIMD16<Float>.self)
            i += 32
        }
        while i + 16 <= n {
            acc0 += ra.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self) * rb.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
            i += 16
        }
        var sum = (acc0 + acc1).sum()
        while i < n { sum += a[i] * b[i]; i += 1 }
        return sum
    }

    /// Sixteen halves at `offset` bytes widened to floats (two `vcvtph2ps`).
    @inline(__always)
    static func widened(_ p: UnsafeRawPointer, _ offset: Int) -> SIMD16<Float> {
        let h = p.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float16>.self)
        var f = SIMD16<Float>()
        for i in 0..<16 { f[i] = Float(h[i]) }
        return f
    }

    /// `dot` with `b` in half precision, widened on the fly: attention reads the f16 KV cache
    /// in place instead of widening a layer's whole cache every token. Same summation order as
    /// `dot`, so the results are identical to widening first.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float16>, _ n: Int) -> Float {
        var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>()
        var i = 0
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        while i + 32 <= n {
            acc0 += ra.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self) * widened(rb, 2 * i)
            acc1 += ra.loadUnaligned(fromByteOffset: 4 * i + 64, as: SIMD16<Float>.self) * widened(rb, 2 * i + 32)
            i += 32
        }
        while i + 16 <= n {
            acc0 += ra.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self) * widened(rb, 2 * i)
            i += 16
        }
        var sum = (acc0 + acc1).sum()
        while i < n { sum += a[i] * Float(b[i]); i += 1 }
        return sum
    }

    /// `addScaled` with `x` in half precision (see the half `dot`).
    @inline(__always)
    static func addScaled(_ y: UnsafeMutablePointer<Float>, _ alpha: Float, _ x: UnsafePointer<Float16>, _ n: Int) {
        var i = 0
        let ry = UnsafeMutableRawPointer(y), rx = UnsafeRawPointer(x)
        while i + 16 <= n {
            let v = ry.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self) + alpha * widened(rx, 2 * i)
            ry.storeBytes(of: v, toByteOffset: 4 * i, as: SIMD16<Float>.self)
            i += 16
        }
        while i < n { y[i] += alpha * Float(x[i]); i += 1 }
    }

    /// The two orders in which ggml sums an f16 dot product on AVX-512, which llama.cpp's
    /// attention (without flash attention) uses: `.tiled` is llamafile's tinyBLAS (batches of
    /// two or more tokens: one 16-lane FMA chain, then `reduceAdd`), `.vector` is
    /// `ggml_vec_dot_f16` (single tokens: four 16-lane chains over each 64 values, combined
    /// `(a0 + a2) + (a1 + a3)`, then `reduceAdd`).
    enum HalfDotOrder: Sendable { case tiled, vector }

    /// `Σ a[i]·b[i]` over `n` values (a multiple of 64) in llama.cpp's `order`; `a` holds
    /// f16-representable floats, so every product is exact and only the order rounds.
    @inline(__always)
    static func llamaCppDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float16>, _ n: Int, order: HalfDotOrder) -> Float {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        @inline(__always) func load(_ i: Int) -> SIMD16<Float> { ra.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self) }
        switch order {
        case .tiled:
            var acc = SIMD16<Float>()
            var i = 0
            while i < n { acc = acc.addingProduct(load(i), widened(rb, 2 * i)); i += 16 }
            return reduceAdd(acc)
        case .vector:
            var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>(), acc2 = SIMD16<Float>(), acc3 = SIMD16<Float>()
            var i = 0
            while i < n {
                acc0 = acc0.addingProduct(load(i), widened(rb, 2 * i))
                acc1 = acc1.addingProduct(load(i + 16), widened(rb, 2 * i + 32))
                acc2 = acc2.addingProduct(load(i + 32), widened(rb, 2 * i + 64))
                acc3 = acc3.addingProduct(load(i + 48), widened(rb, 2 * i + 96))
                i += 64
            }
            return reduceAdd((acc0 + acc2) + (acc1 + acc3))
        }
    }

    /// `y[i] = fma(alpha, x[i], y[i])` over `n` values (a multiple of 16), `x` in half precision.
    @inline(__always)
    static func fusedAddScaled(_ y: UnsafeMutablePointer<Float>, _ alpha: Float, _ x: UnsafePointer<Float16>, _ n: Int) {
        let ry = UnsafeMutableRawPointer(y), rx = UnsafeRawPointer(x)
        var i = 0
        while i < n {
            let v = ry.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self).addingProduct(alpha, widened(rx, 2 * i))
            ry.storeBytes(of: v, toByteOffset: 4 * i, as: SIMD16<Float>.self)
            i += 16
        }
    }

    /// `y[i] = alpha·x[i]` over `n` values (a multiple of 16), `x` in half precision.
    @inline(__always)
    static func scaled(_ y: UnsafeMutablePointer<Float>, _ alpha: Float, _ x: UnsafePointer<Float16>, _ n: Int) {
        let ry = UnsafeMutableRawPointer(y), rx = UnsafeRawPointer(x)
        var i = 0
        while i < n {
            ry.storeBytes(of: alpha * widened(rx, 2 * i), toByteOffset: 4 * i, as: SIMD16<Float>.self)
            i += 16
        }
    }

    /// `y[i] += alpha·x[i]` over `n` values.
    @inline(__always)
    static func addScaled(_ y: UnsafeMutablePointer<Float>, _ alpha: Float, _ x: UnsafePointer<Float>, _ n: Int) {
        var i = 0
        let ry = UnsafeMutableRawPointer(y), rx = UnsafeRawPointer(x)
        while i + 16 <= n {
            let v = ry.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self) + alpha * rx.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
            ry.storeBytes(of: v, toByteOffset: 4 * i, as: SIMD16<Float>.self)
            i += 16
        }
        while i < n { y[i] += alpha * x[i]; i += 1 }
    }

    /// `out = x / rms(x) · gain`, with the mean of squares accumulated in double as ggml does.
    static func rmsNorm(_ x: UnsafePointer<Float>, gain: UnsafePointer<Float>, epsilon: Float,
                        into out: UnsafeMutablePointer<Float>, _ n: Int) {
        var sum = 0.0
        for i in 0..<n { sum += Double(x[i] * x[i]) }
        let scale = 1 / (Float(sum / Double(n)) + epsilon).squareRoot()
        for i in 0..<n { out[i] = x[i] * scale * gain[i] }
    }

    /// Rotates the first `dimensions` values of one head in place by position-dependent angles;
    /// `cosines`/`sines` hold one entry per rotated pair.
    ///
    /// Fused like ggml's compiled rotation (GCC contracts `x0·cos − x1·sin` and `x0·sin + x1·cos`
    /// into FMAs; seen in the disassembly of llama-cpp-python 0.3.36's libggml-cpu and
    /// confirmed bit for bit against its tensors): `x1·sin` and `x1·cos` are rounded first, the
    /// `x0` products fused. Our hidden states then match llama.cpp's exactly.
    @inline(__always)
    static func rope(_ head: UnsafeMutablePointer<Float>, dimensions: Int, style: RopeStyle,
                     cosines: UnsafePointer<Float>, sines: UnsafePointer<Float>) {
        let pairs = dimensions / 2
        if style == .adjacentPairs {
            for i in 0..<pairs {
                let x0 = head[2 * i], x1 = head[2 * i + 1], c = cosines[i], s = sines[i]
                head[2 * i] = (-(x1 * s)).addingProduct(x0, c)
                head[2 * i + 1] = (x1 * c).addingProduct(x0, s)
            }
        } else {
            for i in 0..<pairs {
                let x0 = head[i], x1 = head[i + pairs], c = cosines[i], s = sines[i]
                head[i] = (-(x1 * s)).addingProduct(x0, c)
                head[i + pairs] = (x1 * c).addingProduct(x0, s)
            }
        }
    }

    /// Fills the RoPE angle tables for `position`: θᵢ = position · base^(−2i/dimensions),
    /// computed as ggml does (f32, θ multiplied by the ratio once per pair) so that angles
    /// round the same way as in llama.cpp.
    static func ropeAngles(position: Int, dimensions: Int, base: Float,
                           cosines: UnsafeMutablePointer<Float>, sines: UnsafeMutablePointer<Float>) {
        let pairs = dimensions / 2
        let ratio = powf(base, -2 / Float(dimensions))
        var theta = Float(position)
        for i in 0..<pairs {
            cosines[i] = cosf(theta)
            sines[i] = sinf(theta)
            theta *= ratio
        }
    }

    /// SiLU(gate)·up in place into `gate`: CLlamaKernels' `lk_swiglu` (16 lanes on AVX-512),
    /// bit-identical to the scalar `swiglu` below (tested).
    static func swiglu(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, _ n: Int) {
        lk_swiglu(gate, up, n)
    }

    /// SiLU(g)·u for one value, rounded as ggml's vectorised `ggml_vec_swiglu_f32`:
    /// `g / (1 + exp(−g)) · u` with `llamaCppExp` (shared by the batched path and the fused
    /// decoding product, so both round alike).
    @inline(__always)
    static func swiglu(_ g: Float, _ u: Float) -> Float {
        g / (1 + llamaCppExp(-g)) * u
    }

    /// `exp(x)` computed as ggml's AVX-512 `ggml_v_expf` computes it (its algorithm comes from
    /// Arm's optimized-routines): `n = round(x·log₂e)` by the 1.5·2²³ shifter, a two-constant
    /// Cody–Waite reduction `b = x − n·ln2`, a degree-5 polynomial in Estrin form, and a final
    /// scaling by 2ⁿ. Within ~1.5 ulp of the true value, like libm, but *different* in the last
    /// bit often enough (a quarter of SiLU outputs) to part our trajectories from llama.cpp's.
    /// Every step is element-wise, so this scalar form rounds exactly like ggml's vector lanes.
    @inline(__always)
    static func llamaCppExp(_ x: Float) -> Float {
        let shifter: Float = 0x1.8p23
        let n = shifter.addingProduct(x, 0x1.715476p+0) - shifter
        if abs(n) > 192 { return n > 0 ? .infinity : 0 }
        let b = x.addingProduct(-n, 0x1.62e4p-1).addingProduct(-n, 0x1.7f7d1cp-20)
        let u = b * b
        let high = Float(0x1.573e2ep-5).addingProduct(0x1.0e4020p-7, b)
        let middle = Float(0x1.fffdb6p-2).addingProduct(0x1.555e66p-3, b)
        let low = Float(1).addingProduct(0x1.ffffecp-1, b)
        let j = low.addingProduct(middle.addingProduct(high, u), u)
        return scaleByPowerOfTwo(j, Int(n))
    }

    /// `j·2ⁿ` rounded once (AVX-512 `vscalefps`).
    @inline(__always)
    static func scaleByPowerOfTwo(_ j: Float, _ n: Int) -> Float {
        if n >= -126 && n <= 127 { return j * Float(bitPattern: UInt32(n + 127) << 23) }
        return Float(sign: .plus, exponent: n, significand: j)
    }

    /// Sum of 16 lanes in the order of GCC's `_mm512_reduce_add_ps` (halves, quarters, then
    /// `(l0 + l2) + (l1 + l3)`), which ggml uses for softmax sums and f16 dot products.
    @inline(__always)
    static func reduceAdd(_ v: SIMD16<Float>) -> Float {
        let eight = v.lowHalf + v.highHalf
        let four = eight.lowHalf + eight.highHalf
        return (four[0] + four[2]) + (four[1] + four[3])
    }

    /// Softmax of `n` values in place, rounded as ggml's `soft_max` (llama.cpp's attention):
    /// `llamaCppExp(x − max)`, each 16 values summed with `reduceAdd` and the partial sums in
    /// double, then every value multiplied by the f32-rounded `1/sum`.
    static func softmax(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
        var maxValue = -Float.infinity
        for i in 0..<n { maxValue = max(maxValue, x[i]) }
        var sum = 0.0
        var i = 0
        while i < n {
            var chunk = SIMD16<Float>()
            for l in 0..<min(16, n - i) {
                let e = llamaCppExp(x[i + l] - maxValue)
                x[i + l] = e
                chunk[l] = e
            }
            sum += Double(reduceAdd(chunk))
            i += 16
        }
        let inverse = Float(1 / sum)
        for i in 0..<n { x[i] *= inverse }
    }
}
