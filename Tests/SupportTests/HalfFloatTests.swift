import Testing
import Support

/// Hand-worked binary16 values, and the hot-loop loaders against the portable conversion on
/// every bit pattern.
@Suite struct HalfFloatTests {
    @Test func handWorkedValues() {
        #expect(HalfFloat.toFloat(0x3C00) == 1)
        #expect(HalfFloat.toFloat(0xC000) == -2)
        #expect(HalfFloat.toFloat(0x3555) == 0.333251953125)  // 1365/4096
        #expect(HalfFloat.toFloat(0x7BFF) == 65504)
        #expect(HalfFloat.toFloat(0x0001) == 0x1p-24)
        #expect(HalfFloat.toFloat(0x0400) == 0x1p-14)
        #expect(HalfFloat.toFloat(0x7C00) == .infinity)
        #expect(HalfFloat.toFloat(0x8000).sign == .minus && HalfFloat.toFloat(0x8000) == 0)
        #expect(HalfFloat.toFloat(0x7E00).isNaN)
        #expect(HalfFloat.fromFloat(65520) == 0x7C00, "rounds up to infinity")
        #expect(HalfFloat.fromFloat(1.0 + 0x1p-11) == 0x3C00, "ties round to even")
        #expect(HalfFloat.bf16ToFloat(0x3F80) == 1)
    }

    #if !(os(macOS) && arch(x86_64))
    @Test func loadersAgreeWithTheConversionOnEveryValue() {
        for raw in 0...0xFFFF {
            let bits = UInt16(raw)
            let expected = HalfFloat.toFloat(bits)
            if expected.isNaN { continue }
            var stored = bits.littleEndian
            let loaded = withUnsafeBytes(of: &stored) { HalfFloat.load($0.baseAddress!) }
            #expect(loaded.bitPattern == expected.bitPattern, "bits \(raw)")
            if expected.isFinite {
                let scale = withUnsafeBytes(of: &stored) { HalfFloat.loadScale($0.baseAddress!) }
                #expect(scale.bitPattern == expected.bitPattern, "scale bits \(raw)")
            }
            var pair = (UInt32(bits) | UInt32(0x3C00) << 16).littleEndian
            let (low, high) = withUnsafeBytes(of: &pair) { HalfFloat.loadPair($0.baseAddress!) }
            #expect(low.bitPattern == expected.bitPattern && high == 1, "pair bits \(raw)")
            #expect(HalfFloat.round(expected).bitPattern == expected.bitPattern)
            #expect(HalfFloat.fromFloat(expected) == bits)
        }
    }
    #endif
}
