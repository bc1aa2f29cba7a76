import Support
import Testing
@testable import GGUF

/// Each dequantiser is checked on a hand-built block whose values are worked out in the test
/// from the block layout in ggml-common.h, not from the implementation.
@Suite struct DequantizerTests {
    static func half(_ bits: UInt16) -> [UInt8] { [UInt8(bits & 0xFF), UInt8(bits >> 8)] }
    // f16 bit patterns of the scales used below.
    static let oneHalf: UInt16 = 0x3800, one: UInt16 = 0x3C00, quarter: UInt16 = 0x3400, eighth: UInt16 = 0x3000, minusOne: UInt16 = 0xBC00

    /// Byte `i` with low nibble i%16 and high nibble 15 - i%16.
    static func nibblePair(_ i: Int) -> UInt8 { UInt8(i % 16) | UInt8(15 - i % 16) << 4 }

    func run(_ type: GGMLType, _ block: [UInt8]) throws -> [Float] {
        #expect(block.count == type.bytesPerBlock)
        return try block.withUnsafeBytes { try Dequantizer.dequantize(type: type, data: $0, count: type.blockSize) }
    }

    @Test func scalarTypes() throws {
        let f32: [UInt8] = TestSupport.le(Float(-1.25).bitPattern) + TestSupport.le(Float(3).bitPattern)
        #expect(try f32.withUnsafeBytes { try Dequantizer.dequantize(type: .f32, data: $0, count: 2) } == [-1.25, 3])
        // f16: 1.0, -2.0, 65504 (max), 2^-24 (smallest subnormal), -0
        let f16: [UInt8] = [0x00, 0x3C, 0x00, 0xC0, 0xFF, 0x7B, 0x01, 0x00, 0x00, 0x80]
        let h = try f16.withUnsafeBytes { try Dequantizer.dequantize(type: .f16, data: $0, count: 5) }
        #expect(h == [1, -2, 65504, 0x1p-24, 0])
        #expect(h[4].sign == .minus)
        // bf16: 0x3F80 = 1.0, 0xC040 = -3.0, 0x4049 = 3.140625
        let bf16: [UInt8] = [0x80, 0x3F, 0x40, 0xC0, 0x49, 0x40]
        #expect(try bf16.withUnsafeBytes { try Dequantizer.dequantize(type: .bf16, data: $0, count: 3) } == [1, -3, 3.140625])
    }

    #if arch(x86_64) || arch(arm64)
    /// The hand-written half conversion agrees with the platform's Float16 on every bit pattern.
    @Test func halfConversionMatchesFloat16() {
        for bits in 0...UInt16.max {
            let reference = Float(Float16(bitPattern: bits))
            let mine = HalfFloat.toFloat(bits)
            #expect(mine.bitPattern == reference.bitPattern || (mine.isNaN && reference.isNaN), "bits \(bits)")
            if !reference.isNaN {
                #expect(HalfFloat.fromFloat(reference) == bits || (reference == 0 && HalfFloat.fromFloat(reference) & 0x7FFF == 0))
            }
        }
        #expect(HalfFloat.fromFloat(1.0 + 0x1p-11) == 0x3C00, "ties round to even")
        #expect(HalfFloat.fromFloat(1.0 + 3 * 0x1p-11) == 0x3C02)
    }
    #endif

    @Test func q4_0() throws {
        // d = 0.5; byte j holds low nibble j and high nibble 15-j.
        let block = Self.half(Self.oneHalf) + (0..<16).map(Self.nibblePair)
        let expected: [Float] = [-4, -3.5, -3, -2.5, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5,
                                 3.5, 3, 2.5, 2, 1.5, 1, 0.5, 0, -0.5, -1, -1.5, -2, -2.5, -3, -3.5, -4]
        #expect(try run(.q4_0, block) == expected)
    }

    @Test func q4_1() throws {
        // d = 0.5, m = -1; same nibbles: low j → j/2 - 1, high 15-j → (15-j)/2 - 1.
        let block = Self.half(Self.oneHalf) + Self.half(Self.minusOne) + (0..<16).map(Self.nibblePair)
        let expected: [Float] = [-1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5,
                                 6.5, 6, 5.5, 5, 4.5, 4, 3.5, 3, 2.5, 2, 1.5, 1, 0.5, 0, -0.5, -1]
        #expect(try run(.q4_1, block) == expected)
    }

    @Test func q5_0() throws {
        // d = 0.25; fifth bits set for elements 0…7 and 24…31 (qh = 0xFF0000FF, little-endian).
        let block = Self.half(Self.quarter) + [0xFF, 0x00, 0x00, 0xFF] + (0..<16).map(Self.nibblePair)
        // e 0…7: (j+16-16)/4; e 8…15: (j-16)/4; e 16…23: (15-j-16)/4; e 24…31: (15-j+16-16)/4
        let expected: [Float] = [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, -2, -1.75, -1.5, -1.25, -1, -0.75, -0.5, -0.25,
                                 -0.25, -0.5, -0.75, -1, -1.25, -1.5, -1.75, -2, 1.75, 1.5, 1.25, 1, 0.75, 0.5, 0.25, 0]
        #expect(try run(.q5_0, block) == expected)
    }

    @Test func q5_1() throws {
        // d = 1, m = 0.5, only element 0 has its fifth bit; every byte 0x21 (low 1, high 2).
        let block = Self.half(Self.one) + Self.half(Self.oneHalf) + [0x01, 0, 0, 0] + [UInt8](repeating: 0x21, count: 16)
        let expected: [Float] = [17.5] + [Float](repeating: 1.5, count: 15) + [Float](repeating: 2.5, count: 16)
        #expect(try run(.q5_1, block) == expected)
    }

    @Test func q8_0() throws {
        // d = 0.125; quants -128, 127, then -15…14.
        let quants: [Int8] = [-128, 127] + (-15...14).map(Int8.init)
        let block = Self.half(Self.eighth) + quants.map { UInt8(bitPattern: $0) }
        let expected: [Float] = [-16, 15.875] + (-15...14).map { Float($0) / 8 }
        #expect(try run(.q8_0, block) == expected)
    }

    @Test func q8_K() throws {
        let quants = (0..<256).map { Int8(truncatingIfNeeded: $0 - 128) }
        let block = TestSupport.le(Float(0.5).bitPattern) + quants.map { UInt8(bitPattern: $0) } + [UInt8](repeating: 7, count: 32)
        #expect(try run(.q8_K, block) == (0..<256).map { Float($0 - 128) / 2 })
    }

    /// The 12-byte Q4_K/Q5_K packing of scales sc = [1,2,3,4,33,34,63,5], mins m = [0,1,2,3,40,41,62,7],
    /// worked out by hand: bytes 0…3 = sc[j] | (sc[j+4]>>4)<<6, bytes 4…7 = m[j] | (m[j+4]>>4)<<6,
    /// bytes 8…11 = (sc[j+4]&15) | (m[j+4]&15)<<4.
    static let kScales: [UInt8] = [129, 130, 195, 4, 128, 129, 194, 3, 129, 146, 239, 117]
    static let kScaleValues: [Float] = [1, 2, 3, 4, 33, 34, 63, 5]
    static let kMinValues: [Float] = [0, 1, 2, 3, 40, 41, 62, 7]

    @Test func q4_K() throws {
        // d = 1, dmin = 0.5; quant byte i has low nibble i%16 and high nibble 15 - i%16.
        let qs: [UInt8] = (0..<128).map(Self.nibblePair)
        let block = Self.half(Self.one) + Self.half(Self.oneHalf) + Self.kScales + qs
        let y = try run(.q4_K, block)
        for chunk in 0..<4 {
            for l in 0..<32 {
                let (sLow, mLow) = (Self.kScaleValues[2 * chunk], Self.kMinValues[2 * chunk])
                let (sHigh, mHigh) = (Self.kScaleValues[2 * chunk + 1], Self.kMinValues[2 * chunk + 1])
                let expectedLow: Float = sLow * Float(l % 16) - 0.5 * mLow
                let expectedHigh: Float = sHigh * Float(15 - l % 16) - 0.5 * mHigh
                #expect(y[chunk * 64 + l] == expectedLow)
                #expect(y[chunk * 64 + 32 + l] == expectedHigh)
            }
        }
        // Spot values written out: sub-block 4 (scale 33, min 40), element 5 → 33*5 - 20.
        #expect(y[128 + 5] == 145)
        // Sub-block 6 (scale 63, min 62), element 3 → 63*3 - 31; sub-block 7 (5, 7) element 0 → 5*15 - 3.5.
        #expect(y[192 + 3] == 158)
        #expect(y[224] == 71.5)
    }

    @Test func q5_K() throws {
        // As Q4_K plus fifth bits: qh[l] = 0x55 for l < 16 (even bits → low-nibble elements)
        // and 0xAA for l ≥ 16 (odd bits → high-nibble elements), the same for all four chunks.
        let qs: [UInt8] = (0..<128).map(Self.nibblePair)
        let qh: [UInt8] = [UInt8](repeating: 0x55, count: 16) + [UInt8](repeating: 0xAA, count: 16)
        let block = Self.half(Self.one) + Self.half(Self.oneHalf) + Self.kScales + qh + qs
        let y = try run(.q5_K, block)
        for chunk in 0..<4 {
            for l in 0..<32 {
                let low = Float(l % 16 + (l < 16 ? 16 : 0))
                let high = Float(15 - l % 16 + (l >= 16 ? 16 : 0))
                let expectedLow: Float = Self.kScaleValues[2 * chunk] * low - 0.5 * Self.kMinValues[2 * chunk]
                let expectedHigh: Float = Self.kScaleValues[2 * chunk + 1] * high - 0.5 * Self.kMinValues[2 * chunk + 1]
                #expect(y[chunk * 64 + l] == expectedLow)
                #expect(y[chunk * 64 + 32 + l] == expectedHigh)
            }
        }
        #expect(y[128 + 5] == 673)  // 33 * 21 - 20
        #expect(y[224 + 20] == 131.5)  // 5 * (11 + 16) - 3.5
    }

    @Test func q6_K() throws {
        // d = 0.5; in each 128-element half, ql[l] = 0x21 and ql[l+32] = 0x43 for l < 32, and
        // qh = 0xE4 (bit pairs 0,1,2,3). Quarter k of a half then has the 6-bit quant
        // k0: 1|0<<4, k1: 3|1<<4, k2: 2|2<<4, k3: 4|3<<4, i.e. minus 32: -31, -13, 2, 20.
        let ql = [UInt8](repeating: 0x21, count: 32) + [UInt8](repeating: 0x43, count: 32)
        let scales: [Int8] = [1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6, 7, -7, 8, -8]
        let block = ql + ql + [UInt8](repeating: 0xE4, count: 64) + scales.map { UInt8(bitPattern: $0) } + Self.half(Self.oneHalf)
        let y = try run(.q6_K, block)
        let quarterQuant: [Float] = [-31, -13, 2, 20]
        for e in 0..<256 {
            let half = e / 128, k = (e % 128) / 32, l = e % 32
            let scale = Float(scales[half * 8 + l / 16 + 2 * k])
            #expect(y[e] == 0.5 * scale * quarterQuant[k], "element \(e)")
        }
        #expect(y[0] == -15.5)  // 0.5 * 1 * -31
        #expect(y[200] == 7)  // 0.5 * 7 * 2  // half 1, quarter 2, l 8 → scale index 8+0+4 = 12 → 7
    }

    @Test func q2_K() throws {
        // d = 1, dmin = 1; scale byte i = i | 0x20 (scale i, min 2); every quant byte 0xE4, so
        // the 2-bit quant at shift 2j is j. Element (half n, shift j, group g, l) uses scale 8n+2j+g.
        let block = (0..<16).map { UInt8($0) | 0x20 } + [UInt8](repeating: 0xE4, count: 64) + Self.half(Self.one) + Self.half(Self.one)
        let y = try run(.q2_K, block)
        for n in 0..<2 { for j in 0..<4 { for g in 0..<2 { for l in 0..<16 {
            #expect(y[n * 128 + j * 32 + g * 16 + l] == Float((8 * n + 2 * j + g) * j - 2))
        } } } }
    }

    @Test func q3_K() throws {
        // Sixteen 6-bit scales s_i = i + 20 (signed value i - 12), packed as: bytes 0…7 hold the
        // low nibbles of s_0…7 (low half) and s_8…15 (high half); byte 8+k holds the top two bits
        // of s_k, s_{k+4}, s_{k+8}, s_{k+12} at shifts 0, 2, 4, 6.
        var scales = [UInt8](repeating: 0, count: 12)
        for i in 0..<16 {
            let s = i + 20
            if i < 8 { scales[i] |= UInt8(s & 15) } else { scales[i - 8] |= UInt8(s & 15) << 4 }
            scales[8 + i % 4] |= UInt8(s >> 4) << UInt8(2 * (i / 4))
        }
        // hmask bytes 0…15 = 0x0F, 16…31 = 0xF0: bit (4n+j) is set for group 0 when n = 0 and
        // for group 1 when n = 1; a clear bit subtracts 4. Quants 0xE4 again give j at shift 2j.
        let hmask = [UInt8](repeating: 0x0F, count: 16) + [UInt8](repeating: 0xF0, count: 16)
        let block = hmask + [UInt8](repeating: 0xE4, count: 64) + scales + Self.half(Self.oneHalf)
        let y = try run(.q3_K, block)
        for n in 0..<2 { for j in 0..<4 { for g in 0..<2 { for l in 0..<16 {
            let scale = Float(8 * n + 2 * j + g - 12)
            let quant = Float(j - ((g == n) ? 0 : 4))
            #expect(y[n * 128 + j * 32 + g * 16 + l] == 0.5 * scale * quant)
        } } } }
    }

    @Test func multipleBlocksAndErrors() throws {
        let b1 = Self.half(Self.one) + [UInt8](repeating: 0x88, count: 16)  // all zeros after -8
        let b2 = Self.half(Self.oneHalf) + [UInt8](repeating: 0xFF, count: 16)  // all 3.5
        let y = try (b1 + b2).withUnsafeBytes { try Dequantizer.dequantize(type: .q4_0, data: $0, count: 64) }
        #expect(y == [Float](repeating: 0, count: 32) + [Float](repeating: 3.5, count: 32))
        #expect(throws: GGUFError.self) { try b1.withUnsafeBytes { try Dequantizer.dequantize(type: .q4_0, data: $0, count: 64) } }
        #expect(throws: GGUFError.self) { try b1.withUnsafeBytes { try Dequantizer.dequantize(type: .q4_0, data: $0, count: 31) } }
        #expect(throws: GGUFError.self) { try b1.withUnsafeBytes { try Dequantizer.dequantize(type: .iq2_xxs, data: $0, count: 256) } }
    }

    @Test func blockGeometry() {
        // Sizes from ggml-common.h static_asserts.
        let expected: [GGMLType: (Int, Int)] = [
            .f32: (1, 4), .f16: (1, 2), .bf16: (1, 2), .q4_0: (32, 18), .q4_1: (32, 20), .q5_0: (32, 22),
            .q5_1: (32, 24), .q8_0: (32, 34), .q2_K: (256, 84), .q3_K: (256, 110), .q4_K: (256, 144),
            .q5_K: (256, 176), .q6_K: (256, 210), .q8_K: (256, 292),
        ]
        for (type, (size, bytes)) in expected {
            #expect(type.blockSize == size && type.bytesPerBlock == bytes, "\(type)")
        }
        #expect(GGMLType(rawValue: 4) == nil)
        #expect(GGMLType(rawValue: 30) == .bf16)
        #expect(GGMLType.q4_K.byteSize(elementCount: 512) == 288)
        #expect(GGMLType.q4_K.byteSize(elementCount: 100) == nil)
    }
}
