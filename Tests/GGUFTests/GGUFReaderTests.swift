import Foundation
import Testing
@testable import GGUF

@Suite struct GGUFReaderTests {
    /// A file assembled byte by byte from the spec (not with GGUFWriter), so the reader is checked
    /// against an independent encoding: 2 metadata entries, one 2×3 F32 tensor.
    @Test func readsHandAssembledFile() throws {
        typealias S = TestSupport
        var bytes: [UInt8] = Array("GGUF".utf8) + S.le(UInt32(3)) + S.le(UInt64(1)) + S.le(UInt64(2))
        bytes += S.ggufString("general.architecture") + S.le(UInt32(8)) + S.ggufString("llama")
        bytes += S.ggufString("llama.rope.freq_base") + S.le(UInt32(6)) + S.le(Float(10000).bitPattern)
        bytes += S.ggufString("w") + S.le(UInt32(2)) + S.le(UInt64(3)) + S.le(UInt64(2)) + S.le(UInt32(0)) + S.le(UInt64(0))
        let headerEnd = bytes.count
        bytes += [UInt8](repeating: 0, count: (32 - headerEnd % 32) % 32)
        let dataStart = bytes.count
        for v: Float in [1, 2, 3, 4, 5, 6] { bytes += S.le(v.bitPattern) }

        let file = try GGUFFile(path: S.writeTemporary(bytes))
        #expect(file.version == 3)
        #expect(file.architecture == "llama")
        #expect(file.float("llama.rope.freq_base") == 10000)
        #expect(file.metadataKeys == ["general.architecture", "llama.rope.freq_base"])
        #expect(file.alignment == 32)
        #expect(file.dataOffset == dataStart)
        let w = try #require(file.tensor("w"))
        #expect(w.dims == [3, 2])
        #expect(w.elementCount == 6)
        #expect(w.byteSize == 24)
        #expect(w.offset == dataStart)
        #expect(w.rowCount == 2)
        #expect(try file.dequantizedTensor("w") == [1, 2, 3, 4, 5, 6])
        let raw = try file.tensorData("w")
        #expect(raw.count == 24)
        #expect(raw.loadUnaligned(fromByteOffset: 20, as: UInt32.self) == Float(6).bitPattern)
    }

    /// Every metadata type, including nested and empty arrays, survives a write/read cycle.
    @Test func everyValueTypeRoundTrips() throws {
        var writer = GGUFWriter()
        let values: [(String, GGUFValue)] = [
            ("u8", .uint8(200)), ("i8", .int8(-100)), ("u16", .uint16(60000)), ("i16", .int16(-30000)),
            ("u32", .uint32(4_000_000_000)), ("i32", .int32(-2_000_000_000)),
            ("u64", .uint64(18_000_000_000_000_000_000)), ("i64", .int64(-9_000_000_000_000_000_000)),
            ("f32", .float32(1.5)), ("f64", .float64(-2.25)), ("t", .bool(true)), ("f", .bool(false)),
            ("s", .string("héllo ✈︎")), ("empty", .string("")),
            ("au8", .array(.uint8([1, 2, 255]))), ("ai8", .array(.int8([-1, 0, 1]))),
            ("au16", .array(.uint16([65535]))), ("ai16", .array(.int16([-2]))),
            ("au32", .array(.uint32([7, 8]))), ("ai32", .array(.int32([-7, 8]))),
            ("au64", .array(.uint64([UInt64.max]))), ("ai64", .array(.int64([Int64.min]))),
            ("af32", .array(.float32([0.5, -0.25]))), ("af64", .array(.float64([1e300]))),
            ("ab", .array(.bool([true, false, true]))), ("as", .array(.string(["a", "", "ß"]))),
            ("aempty", .array(.int32([]))),
            ("nested", .array(.array([.int32([1, 2]), .string(["x"])]))),
        ]
        for (k, v) in values { writer.set(k, v) }
        writer.alignment = 64
        writer.add(.init(name: "t", type: .f16, dims: [4], data: [0, 0x3C, 0, 0xC0, 0, 0, 0, 0x7C]))
        let file = try GGUFFile(path: TestSupport.writeTemporary(writer.bytes()))
        for (k, v) in values { #expect(file.value(k) == v, "key \(k)") }
        #expect(file.alignment == 64)
        #expect(file.int("general.alignment") == 64)
        #expect(file.dataOffset % 64 == 0)
        #expect(file.int("u64") == nil, "u64 above Int.max has no Int value")
        #expect(file.int("i16") == -30000)
        #expect(file.stringArray("as") == ["a", "", "ß"])
        #expect(file.intArray("au32") == [7, 8])
        #expect(file.floatArray("af32") == [0.5, -0.25])
        #expect(file.bool("t") == true)
        #expect(file.string("u8") == nil)
        // F16: 1.0, -2.0, 0, +inf
        #expect(try file.dequantizedTensor("t") == [1, -2, 0, .infinity])
        #expect(throws: GGUFError.self) { try file.requireString("u8") }
        #expect(throws: GGUFError.self) { try file.tensorData("nope") }
    }

    /// A small valid file with metadata and two tensors, for the corruption tests.
    static func sampleFile() -> [UInt8] {
        var w = GGUFWriter()
        w.set("general.architecture", .string("llama"))
        w.set("tokenizer.ggml.tokens", .array(.string(["a", "b", "c"])))
        w.set("x", .array(.float32([1, 2, 3])))
        w.add(.init(name: "a", type: .f32, dims: [2], data: TestSupport.le(Float(1).bitPattern) + TestSupport.le(Float(2).bitPattern)))
        w.add(.init(name: "b", type: .q8_0, dims: [32, 1], data: [UInt8](repeating: 1, count: 34)))
        return w.bytes()
    }

    /// Cutting the file at every length must raise the right error, never crash: cuts inside
    /// the header are `.truncated`, cuts inside tensor data `.tensorDataOutsideFile`.
    @Test func everyTruncationIsATypedError() throws {
        let full = Self.sampleFile()
        let dir = try TestSupport.temporaryDirectory()
        let path = dir.appendingPathComponent("cut.gguf").path
        let dataOffset = try GGUFFile(path: TestSupport.writeTemporary(full)).dataOffset
        let lastTensorEnd = dataOffset + 32 + 34
        for length in 0..<lastTensorEnd {
            try Data(full[0..<length]).write(to: URL(fileURLWithPath: path))
            do {
                _ = try GGUFFile(path: path)
                // Only the padding after the tensor infos may be missing when no tensor data is lost.
                Issue.record("cut at \(length) opened without error")
            } catch {
                #expect(error.path == path)
                switch error.kind {
                case .truncated: #expect(length < dataOffset, "cut at \(length)"); #expect(error.offset != nil)
                case .tensorDataOutsideFile: #expect(length >= dataOffset - 32, "cut at \(length)")
                default: Issue.record("cut at \(length): unexpected \(error)")
                }
            }
        }
    }

    @Test func badMagicVersionAndTypeErrorsNameFileAndOffset() throws {
        var bytes = Self.sampleFile()
        bytes[0] = UInt8(ascii: "X")
        var path = try TestSupport.writeTemporary(bytes)
        #expect { try GGUFFile(path: path) } throws: { ($0 as? GGUFError)?.kind == .badMagic && ($0 as? GGUFError)?.offset == 0 }

        for version: UInt32 in [1, 4, 0x0300_0000] {
            var w = GGUFWriter()
            w.version = version
            path = try TestSupport.writeTemporary(w.bytes())
            #expect { try GGUFFile(path: path) } throws: { error in
                let e = error as! GGUFError
                return e.kind == .unsupportedVersion(version) && e.offset == 4 && e.description.contains(path)
            }
        }

        var w = GGUFWriter()
        w.add(.init(name: "odd", type: .f32, dims: [1], data: [0, 0, 0, 0]))
        bytes = w.bytes()
        // The type id sits right after the name, dimension count and one u64 extent.
        let typeAt = 24 + 8 + 3 + 4 + 8
        #expect(Array(bytes[typeAt..<(typeAt + 4)]) == [0, 0, 0, 0])
        bytes[typeAt] = 4  // Q4_2: retired by ggml
        path = try TestSupport.writeTemporary(bytes)
        #expect { try GGUFFile(path: path) } throws: { error in
            let e = error as! GGUFError
            return e.kind == .unknownTensorType(id: 4, tensor: "odd") && e.offset == typeAt
        }
        bytes[typeAt] = 200
        path = try TestSupport.writeTemporary(bytes)
        #expect { try GGUFFile(path: path) } throws: { ($0 as! GGUFError).kind == .unknownTensorType(id: 200, tensor: "odd") }

        // Missing file and empty file.
        #expect { try GGUFFile(path: "/nonexistent/x.gguf") } throws: { ($0 as! GGUFError).kind == .io }
        path = try TestSupport.writeTemporary([])
        #expect { try GGUFFile(path: path) } throws: { ($0 as! GGUFError).kind == .truncated }
    }

    @Test func tensorOffsetBeyondFileIsRejected() throws {
        var w = GGUFWriter()
        w.add(.init(name: "t", type: .f32, dims: [8], data: [UInt8](repeating: 0, count: 32)))
        var bytes = w.bytes()
        // Patch the stored relative offset (last 8 bytes of the single tensor info) to 1 GiB.
        let offsetAt = 24 + 8 + 1 + 4 + 8 + 4
        bytes.replaceSubrange(offsetAt..<(offsetAt + 8), with: TestSupport.le(UInt64(1 << 30)))
        let path = try TestSupport.writeTemporary(bytes)
        #expect { try GGUFFile(path: path) } throws: { ($0 as! GGUFError).kind == .tensorDataOutsideFile(tensor: "t") }
        // An absurd element count (2^62 × 2^62) overflows and is reported, not trapped on.
        var w2 = GGUFWriter()
        w2.add(.init(name: "big", type: .f32, dims: [1 << 62, 1 << 62], data: []))
        let path2 = try TestSupport.writeTemporary(w2.headerBytes())
        #expect { try GGUFFile(path: path2) } throws: { ($0 as! GGUFError).kind == .corrupted }
    }

    /// Flipping bytes anywhere must never crash; the reader either opens or throws GGUFError.
    @Test func randomCorruptionNeverCrashes() throws {
        let original = Self.sampleFile()
        var generator = SystemRandomNumberGenerator()
        let dir = try TestSupport.temporaryDirectory()
        let path = dir.appendingPathComponent("c.gguf").path
        var failures = 0
        for _ in 0..<400 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do { _ = try GGUFFile(path: path) } catch { failures += 1 }
        }
        #expect(failures > 0)
    }

    /// Facts about the SmolLM2 model checked independently with the `gguf` Python package
    /// (gguf 0.19.0, `GGUFReader`): counts, shapes, types, offsets, metadata, and values
    /// dequantised by `gguf.quants.dequantize`.
    @Test(.enabled(if: TestSupport.hasSmolLM2, "needs models/SmolLM2-135M-Instruct.Q4_1.gguf"))
    func smolLM2MatchesGGUFPy() throws {
        let file = try GGUFFile(path: TestSupport.smolLM2Path)
        #expect(file.version == 3)
        #expect(file.tensors.count == 272)
        #expect(file.metadata.count == 33)
        #expect(file.dataOffset == 1_785_664)
        #expect(file.architecture == "llama")
        #expect(file.int("llama.block_count") == 30)
        #expect(file.int("llama.embedding_length") == 576)
        #expect(file.int("llama.attention.head_count_kv") == 3)
        #expect(file.float("llama.rope.freq_base") == 100_000)
        #expect(file.float("llama.attention.layer_norm_rms_epsilon") == 9.999999747378752e-06)
        #expect(file.string("tokenizer.ggml.pre") == "smollm")
        #expect(file.bool("tokenizer.ggml.add_bos_token") == false)
        #expect(file.stringArray("general.languages") == ["en"])
        let tokens = try #require(file.stringArray("tokenizer.ggml.tokens"))
        #expect(tokens.count == 49152)
        #expect(Array(tokens.prefix(3)) == ["<|endoftext|>", "<|im_start|>", "<|im_end|>"])
        #expect(file.stringArray("tokenizer.ggml.merges")?.prefix(3) == ["Ġ t", "Ġ a", "i n"])
        #expect(file.intArray("tokenizer.ggml.token_type")?.prefix(20) == [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 1, 1, 1])

        var histogram: [GGMLType: Int] = [:]
        for t in file.tensors { histogram[t.type, default: 0] += 1 }
        #expect(histogram == [.q4_1: 210, .f32: 61, .q8_0: 1])

        let embd = try #require(file.tensor("token_embd.weight"))
        #expect(embd.type == .q8_0 && embd.dims == [576, 49152] && embd.byteSize == 30_081_024 && embd.offset == 1_785_664)
        let down = try #require(file.tensor("blk.0.ffn_down.weight"))
        #expect(down.type == .q4_1 && down.dims == [1536, 576] && down.byteSize == 552_960 && down.offset == 31_868_992)
        let v = try #require(file.tensor("blk.9.attn_v.weight"))
        #expect(v.dims == [576, 192] && v.offset == 98_291_008)
        #expect(file.tensor("output_norm.weight")?.offset == 98_360_128)

        let norm = try file.dequantizedTensor("blk.0.attn_norm.weight")
        #expect(Array(norm.prefix(4)) == [0.01397705078125, 0.0238037109375, -0.019775390625, -0.0302734375])
        let downValues = try file.dequantizedTensor("blk.0.ffn_down.weight")
        let expectedDown: [Float] = [-0.330810546875, 0.3460693359375, 0.0753173828125, -0.4661865234375, -0.06005859375]
        for (a, b) in zip(downValues.prefix(5), expectedDown) { #expect(abs(a - b) <= 1e-6) }
        #expect(abs(downValues[1000] - 0.2454833984375) <= 1e-6)
        #expect(abs(downValues.reduce(0.0) { $0 + Double($1) } - 150.63577270507812) < 1e-3)
        let embdValues = try file.dequantizedTensor("token_embd.weight")
        #expect(abs(embdValues[0] - -0.10654449462890625) <= 1e-7)
        #expect(abs(embdValues[1000] - 0.007411956787109375) <= 1e-7)
        #expect(abs(embdValues.reduce(0.0) { $0 + Double($1) } - -15353.04449415207) < 1e-2)
    }
}
