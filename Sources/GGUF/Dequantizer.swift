import Support

/// Plain reference dequantisers, one per supported ggml type.
///
/// These follow the block layouts of ggml-common.h element by element, favouring obviousness
/// over speed: they are the yardstick the fast kernels of the inference module are tested against.
public enum Dequantizer {
    /// Dequantises the first `count` elements of `data`, which holds blocks of `type`.
    /// `count` must be a multiple of the type's block size and `data` must hold the blocks.
    public static func dequantize(type: GGMLType, data: UnsafeRawBufferPointer, count: Int) throws(GGUFError) -> [Float] {
        var output = [Float](repeating: 0, count: count)
        try output.withUnsafeMutableBufferPointer { (out: inout UnsafeMutableBufferPointer<Float>) throws(GGUFError) in
            try dequantize(type: type, data: data, into: out)
        }
        return output
    }

    /// Dequantises `output.count` elements of `type` from `data` into `output`.
    public static func dequantize(type: GGMLType, data: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Float>) throws(GGUFError) {
        let count = output.count
        guard type.canDequantize else {
            throw GGUFError(.unsupportedTensorType(type), path: "", offset: nil, detail: "no dequantiser for ggml type \(type)")
        }
        guard let needed = type.byteSize(elementCount: count) else {
            throw GGUFError(.corrupted, path: "", offset: nil,
                            detail: "\(count) elements is not a whole number of \(type) blocks of \(type.blockSize)")
        }
        guard data.count >= needed else {
            throw GGUFError(.truncated, path: "", offset: nil,
                            detail: "\(count) elements of \(type) need \(needed) bytes but only \(data.count) were given")
        }
        let blocks = count / type.blockSize
        let reader = BlockReader(data: data)
        for b in 0..<blocks {
            let base = b * type.bytesPerBlock
            let y = UnsafeMutableBufferPointer(rebasing: output[(b * type.blockSize)..<((b + 1) * type.blockSize)])
            switch type {
            case .f32: y[0] = Float(bitPattern: reader.u32(base))
            case .f16: y[0] = HalfFloat.toFloat(reader.u16(base))
            case .bf16: y[0] = HalfFloat.bf16ToFloat(reader.u16(base))
            case .q4_0: q4_0(reader, base, y)
            case .q4_1: q4_1(reader, base, y)
            case .q5_0: q5_0(reader, base, y)
            case .q5_1: q5_1(reader, base, y)
            case .q8_0: q8_0(reader, base, y)
            case .q2_K: q2_K(reader, base, y)
            case .q3_K: q3_K(reader, base, y)
            case .q4_K: q4_K(reader, base, y)
            case .q5_K: q5_K(reader, base, y)
            case .q6_K: q6_K(reader, base, y)
            case .q8_K: q8_K(reader, base, y)
            default: break  // excluded by canDequantize above
            }
        }
    }

    /// Little-endian field access at byte offsets; bounds were checked once for the whole range.
    struct BlockReader {
        let data: UnsafeRawBufferPointer
        @inline(__always) func u8(_ at: Int) -> UInt8 { data[at] }
        @inline(__always) func i8(_ at: Int) -> Int8 { Int8(bitPattern: data[at]) }
        @inline(__always) func u16(_ at: Int) -> UInt16 { UInt16(data[at]) | UInt16(data[at + 1]) << 8 }
        @inline(__always) func u32(_ at: Int) -> UInt32 {
            UInt32(data[at]) | UInt32(data[at + 1]) << 8 | UInt32(data[at + 2]) << 16 | UInt32(data[at + 3]) << 24
        }
        @inline(__always) func half(_ at: Int) -> Float { HalfFloat.toFloat(u16(at)) }
    }

    // Q4_0: d (f16), 16 bytes of nibbles. Element j is the low nibble of byte j, element j+16 the
    // high nibble; value = (nibble - 8) * d.
    static func q4_0(_ r: BlockReader, _ b: Int, _ y: UnsafeMutableBufferPointer<Float>) {
        let d = r.half(b)
        for j in 0..<16 {
            let q = r.u8(b + 2 + j)
            y[j] = Float(Int(q & 0xF) - 8) * d
            y[j + 16] = Float(Int(q >> 4) - 8) * d
        }
    }

    // Q4_1: d, m (f16), nibbles as Q4_0; value = nibble * d + m.
    static func q4_1(_ r: BlockReader, _ b: Int, _ y: UnsafeMutableBufferPointer<Float>) {
        let d = r.half(b), m = r.half(b + 2)
        for j in 0..<16 {
            let q = r.u8(b + 4 + j)
            y[j] = Float(q & 0xF) * d + m
            y[j + 16] = Float(q >> 4) * d + m
        }
    }

    // Q5_0: d, a 32-bit mask of fifth bits (bit j for element j), nibbles as Q4_0; value = (q - 16) * d.
    static func q5_0(_ r: BlockReader, _ b: Int, _ y: UnsafeMutableBufferPointer<Float>) {
        let d = r.half(b)
        let high = r.u32(b + 2)
        for j in 0..<16 {
            let q = r.u8(b + 6 + j)
            let lo = Int(q & 0xF) | Int((high >> UInt32(j)) & 1) << 4
            let hi = Int(q >> 4) | Int((high >> UInt32(j + 16)) & 1) << 4
            y[j] = Float(lo - 16) * d
            y[j + 16] = Float(hi - 16) * d
        }
    }

    // Q5_1: d, m, fifth-bit mask, nibbles; value = q * d + m.
    static func q5_1(_ r: BlockReader, _ b: Int, _ y: UnsafeMutableBufferPointer<Float>) {
        let d = r.half(b), m = r.half(b + 2)
        let high = r.u32(b + 4)
        for j in 0..<16 {
            let q = r.u8(b + 8 + j)
            let lo = Int(q & 0xF) | Int((high >> UInt32(j)) & 1) << 4
            let hi = Int(q >> 4) | Int((high >> UInt32(j + 16)) & 1) << 4
            y[j] = Float(lo) * d + m
            y[j + 16] = Float(hi) * d + m
        }
    }

    // Q8_0: d, 32 signed bytes; value = q * d.
    static func q8_0(_ r: BlockReader, _ b: Int, _ y: UnsafeMutableBufferPointer<Float>) {
        let d = r.half(b)
        for j in 0..<32 { y[j] = Float(r.i8(b + 2 + j)) * d }
    }

    // Q8_K: d (f32), 256 signed bytes, then 16 i16 group sums that dequantisation ignores.
    static func q8_K(_ r: BlockReader, _ b: Int, _ y: UnsafeMutableBufferPointer<Float>) {
        let d = Float(bitPattern: r.u32(b))
        for j in 0..<256 { y[j] = Float(r.i8(b + 4 + j)) * d }
    }

    // Q2_K: 16 scale bytes (low nibble scale, high nibble min, one per 16 elements), 64 bytes of
    // 2-bit quants, d, dmin. Each 128-element half uses 32 quant bytes at four shifts.
    static func q2_K(_ r: BlockReader, _ b: Int, _ y: UnsafeMutableBufferPointer<Float>) {
        let d = r.half(b + 80), dmin = r.half(b + 82)
        var out = 0, scaleIndex = 0
        for half in 0..<2 {
            let q = b + 16 + half * 32
            for shift in stride(from: 0, to: 8, by: 2) {
                for group in 0..<2 {
                    let sc = r.u8(b + scaleIndex)
                    scaleIndex += 1
                    let dl = d * Float(sc & 0xF), ml = dmin * Float(sc >> 4)
                    for l in 0..<16 {
                        y[out] = dl * Float((r.u8(q + group * 16 + l) >> UInt8(shift)) & 3) - ml
                        out += 1
                    }
                }
            }
        }
    }

    /// The j-th (0..<16) 6-bit Q3_K scale: low 4 bits from bytes 0…7 (low then high nibbles),
    /// high 2 bits from bytes 8…11.
    static func q3_KScale(_ r: BlockReader, _ scales: Int, _ j: Int) -> Int {
        let low = j < 8 ? Int(r.u8(scales + j) & 0xF) : Int(r.u8(scales + j - 8) >> 4)
        let high = Int(r.u8(scales + 8 + j % 4) >> UInt8(2 * (j / 4))) & 3
        return (low | high << 4) - 32
    }

    // Q3_K: 32-byte high-bit mask, 64 bytes of 2-bit quants, 12 bytes of 6-bit scales, d.
    // A quant whose mask bit is clear has 4 subtracted.
    static func q3_K(_ r: BlockReader, _ b: Int, _ y: UnsafeMutableBufferPointer<Float>) {
        let d = r.half(b + 108)
        let hmask = b, qs = b + 32, scales = b + 96
        var out = 0, scaleIndex = 0
        var maskBit: UInt8 = 1
        for half in 0..<2 {
            let q = qs + half * 32
            for shift in stride(from: 0, to: 8, by: 2) {
                for group in 0..<2 {
                    let dl = d * Float(q3_KScale(r, scales, scaleIndex))
                    scaleIndex += 1
                    for l in 0..<16 {
                        let low = Int((r.u8(q + group * 16 + l) >> UInt8(shift)) & 3)
                        let sub = (r.u8(hmask + group * 16 + l) & maskBit) != 0 ? 0 : 4
                        y[out] = dl * Float(low - sub)
                        out += 1
                    }
                }
                maskBit <<= 1
            }
        }
    }

    /// The j-th (0..<8) 6-bit scale and min of Q4_K/Q5_K, packed in 12 bytes: for j < 4 the low
    /// 6 bits of bytes j and j+4; otherwise nibbles of byte j+4 with the top 2 bits of bytes j-4 and j.
    static func kScaleMin(_ r: BlockReader, _ scales: Int, _ j: Int) -> (scale: Float, min: Float) {
        if j < 4 {
            return (Float(r.u8(scales + j) & 63), Float(r.u8(scales + j + 4) & 63))
        }
        let scale = (r.u8(scales + j + 4) & 0xF) | ((r.u8(scales + j - 4) >> 6) << 4)
        let min = (r.u8(scales + j + 4) >> 4) | ((r.u8(scales + j) >> 6) << 4)
        return (Float(scale), Float(min))
    }

    // Q4_K: d, dmin, 12 scale bytes, 128 nibble bytes. Each 64 elements use 32 bytes: the low
    // nibbles with scale 2i, the high nibbles with scale 2i+1; value = d*sc*q - dmin*m.
    static func q4_K(_ r: BlockReader, _ b: Int, _ y: UnsafeMutableBufferPointer<Float>) {
        let d = r.half(b), dmin = r.half(b + 2)
        let scales = b + 4, qs = b + 16
        for chunk in 0..<4 {
            let (s1, m1) = kScaleMin(r, scales, 2 * chunk)
            let (s2, m2) = kScaleMin(r, scales, 2 * chunk + 1)
            for l in 0..<32 {
                let q = r.u8(qs + chunk * 32 + l)
                y[chunk * 64 + l] = d * s1 * Float(q & 0xF) - dmin * m1
                y[chunk * 64 + 32 + l] = d * s2 * Float(q >> 4) - dmin * m2
            }
        }
    }

    // Q5_K: as Q4_K plus 32 bytes of fifth bits: for chunk c, bit 2c of qh[l] extends the low
    // nibble and bit 2c+1 the high nibble.
    static func q5_K(_ r: BlockReader, _ b: Int, _ y: UnsafeMutableBufferPointer<Float>) {
        let d = r.half(b), dmin = r.half(b + 2)
        let scales = b + 4, qh = b + 16, qs = b + 48
        for chunk in 0..<4 {
            let (s1, m1) = kScaleMin(r, scales, 2 * chunk)
            let (s2, m2) = kScaleMin(r, scales, 2 * chunk + 1)
            for l in 0..<32 {
                let q = r.u8(qs + chunk * 32 + l)
                let h = r.u8(qh + l)
                let lo = Int(q & 0xF) + (Int(h >> UInt8(2 * chunk)) & 1) * 16
                let hi = Int(q >> 4) + (Int(h >> UInt8(2 * chunk + 1)) & 1) * 16
                y[chunk * 64 + l] = d * s1 * Float(lo) - dmin * m1
                y[chunk * 64 + 32 + l] = d * s2 * Float(hi) - dmin * m2
            }
        }
    }

    // Q6_K: 128 bytes of low nibbles, 64 bytes of 2-bit highs, 16 signed scales, d.
    // Per 128-element half: element l, l+32, l+64, l+96 take low/high nibbles of ql[l] and
    // ql[l+32] and successive bit pairs of qh[l]; value = d * scale * (q - 32).
    static func q6_K(_ r: BlockReader, _ b: Int, _ y: UnsafeMutableBufferPointer<Float>) {
        let d = r.half(b + 208)
        for half in 0..<2 {
            let ql = b + half * 64, qh = b + 128 + half * 32, sc = b + 192 + half * 8
            for l in 0..<32 {
                let group = l / 16
                let h = Int(r.u8(qh + l))
                let a = Int(r.u8(ql + l)), c = Int(r.u8(ql + l + 32))
                let q1 = ((a & 0xF) | ((h >> 0) & 3) << 4) - 32
                let q2 = ((c & 0xF) | ((h >> 2) & 3) << 4) - 32
                let q3 = ((a >> 4) | ((h >> 4) & 3) << 4) - 32
                let q4 = ((c >> 4) | ((h >> 6) & 3) << 4) - 32
                let o = half * 128
                y[o + l] = d * Float(r.i8(sc + group)) * Float(q1)
                y[o + l + 32] = d * Float(r.i8(sc + group + 2)) * Float(q2)
                y[o + l + 64] = d * Float(r.i8(sc + group + 4)) * Float(q3)
                y[o + l + 96] = d * Float(r.i8(sc + group + 6)) * Float(q4)
            }
        }
    }
}
