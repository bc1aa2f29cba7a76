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
    @inline(__always)
    static func rope(_ head: UnsafeMutablePointer<Float>, dimensions: Int, style: RopeStyle,
                     cosines: UnsafePointer<Float>, sines: UnsafePointer<Float>) {
        let pairs = dimensions / 2
        for i in 0..<pairs {
            let (a, b) = style == .adjacentPairs ? (2 * i, 2 * i + 1) : (i, i + pairs)
            let x0 = head[a], x1 = head[b]
            head[a] = x0 * cosines[i] - x1 * sines[i]
            head[b] = x0 * sines[i] + x1 * cosines[i]
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

    /// SiLU(gate)·up in place into `gate`.
    static func swiglu(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, _ n: Int) {
        for i in 0..<n { gate[i] = swiglu(gate[i], up[i]) }
    }

    /// SiLU(g)·u for one value (shared by the batched path and the fused decoding product, so
    /// both round alike).
    @inline(__always)
    static func swiglu(_ g: Float, _ u: Float) -> Float {
        g / (1 + exp(-g)) * u
    }

    /// Softmax of `n` values in place.
    static func softmax(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
        var maxValue = -Float.infinity
        for i in 0..<n { maxValue = max(maxValue, x[i]) }
        var sum: Float = 0
        for i in 0..<n {
            let e = exp(x[i] - maxValue)
            x[i] = e
            sum += e
        }
        let inverse = 1 / sum
        for i in 0..<n { x[i] *= inverse }
    }
}
