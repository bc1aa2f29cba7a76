import Support

/// The plain reference path: dequantise a packed row to f32 with obvious loops, then an
/// ordinary dot product. The fast kernels are tested against these; the reference forward pass
/// uses nothing else.
public enum ReferenceKernels {
    /// Dequantises `count` values of a row in `format` starting at `row` into `output`.
    public static func dequantise(
        _ row: UnsafeRawPointer, format: WeightFormat, count: Int, into output: UnsafeMutablePointer<Float>
    ) {
        let blocks = count / format.blockValues
        for b in 0..<blocks {
            let block = row + b * format.blockBytes
            let out = output + b * format.blockValues
            switch format {
            case .f32:
                out[0] = block.loadUnaligned(as: Float.self)
            case .f16:
                out[0] = HalfFloat.load(block)
            case .q8_0:
                let d = HalfFloat.load(block)
                for i in 0..<32 {
                    out[i] = d * Float(block.load(fromByteOffset: 2 + i, as: Int8.self))
                }
            case .q4_0:
                let d = HalfFloat.load(block)
                for i in 0..<16 {
                    let byte = block.load(fromByteOffset: 2 + i, as: UInt8.self)
                    out[i] = d * Float(Int(byte & 0x0F) - 8)
                    out[i + 16] = d * Float(Int(byte >> 4) - 8)
                }
            case .q4_1:
                let d = HalfFloat.load(block)
                let m = HalfFloat.load(block, 2)
                for i in 0..<16 {
                    let byte = block.load(fromByteOffset: 4 + i, as: UInt8.self)
                    out[i] = d * Float(byte & 0x0F) + m
                    out[i + 16] = d * Float(byte >> 4) + m
                }
            case .q4_K:
                let d = HalfFloat.load(block)
                let dmin = HalfFloat.load(block, 2)
                let scales = (block + 4).assumingMemoryBound(to: UInt8.self)
                let nibbles = (block + 16).assumingMemoryBound(to: UInt8.self)
                for chunk in 0..<4 {
                    let (sc0, m0) = WeightFormat.q4KScaleMin(scales, 2 * chunk)
                    let (sc1, m1) = WeightFormat.q4KScaleMin(scales, 2 * chunk + 1)
                    for l in 0..<32 {
                        let byte = nibbles[32 * chunk + l]
                        out[64 * chunk + l] = d * Float(sc0) * Float(byte & 0x0F) - dmin * Float(m0)
                        out[64 * chunk + 32 + l] = d * Float(sc1) * Float(byte >> 4) - dmin * Float(m1)
                    }
                }
            case .q6_K:
                let low = block.assumingMemoryBound(to: UInt8.self)
                let high = (block + 128).assumingMemoryBound(to: UInt8.self)
                let scales = (block + 192).assumingMemoryBound(to: Int8.self)
                let d = HalfFloat.load(block, 208)
                for i in 0..<256 {
                    // Value i lives in half h (128 values each); within it, quarter q picks the
                    // low-nibble byte (l or l+32, low or high nibble) and the 2-bit pair of qh[l].
                    let h = i / 128, r = i % 128, q = r / 32, l = r % 32
                    let lowByte = low[64 * h + l + (q & 1) * 32]
                    let nibble = q < 2 ? lowByte & 0x0F : lowByte >> 4
                    let pair = (high[32 * h + l] >> (2 * q)) & 3
                    let value = Int(nibble | (pair << 4)) - 32
                    out[i] = d * Float(scales[i / 16]) * Float(value)
                }
            }
        }
    }

    /// Dequantises the row and takes its dot product with `x` in f32 (double accumulation, so the
    /// reference itself adds no noticeable rounding).
    public static func dot(
        _ row: UnsafeRawPointer, format: WeightFormat, _ x: UnsafePointer<Float>, count: Int
    ) -> Float {
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { dequantise(row, format: format, count: count, into: $0.baseAddress!) }
        var sum = 0.0
        for i in 0..<count {
            sum += Double(values[i]) * Double(x[i])
        }
        return Float(sum)
    }
}
