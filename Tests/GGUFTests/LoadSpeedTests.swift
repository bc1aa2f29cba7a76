import Foundation
import Testing
@testable import GGUF

/// Issue 5 requires opening a 1 GB model in ≤ 0.1 s: the cost must be the header, not the data.
@Suite struct LoadSpeedTests {
    /// A synthetic 1 GiB GGUF shaped like a small LLaMA file: a 49 152-entry vocabulary with as
    /// many merges, and 300 Q8_0 tensors whose data fills the file. The data region is written
    /// as a sparse extent (ftruncate): the reader must not touch it, and pages never read cost nothing.
    @Test func opensOneGigabyteFileQuickly() throws {
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("llama"))
        writer.set("tokenizer.ggml.tokens", .array(.string(GGUFStringArray((0..<49_152).map { "tok\($0)" }))))
        writer.set("tokenizer.ggml.merges", .array(.string(GGUFStringArray((0..<48_900).map { "m\($0) x\($0)" }))))
        writer.set("tokenizer.ggml.token_type", .array(.int32([Int32](repeating: 1, count: 49_152))))
        let rowsPerTensor = 110_000  // 110 000 rows of 32 Q8_0 elements = 3.74 MB per tensor
        var header = GGUFWriter()
        header.metadata = writer.metadata
        for t in 0..<300 {
            header.add(.init(name: "blk.\(t).weight", type: .q8_0, dims: [32, rowsPerTensor], data: []))
        }
        let dataSize = GGMLType.q8_0.byteSize(elementCount: 32 * rowsPerTensor)!
        let bytes = Self.headerWithSizes(header, dataSize: dataSize)
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("big.gguf").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let total = bytes.count + GGUFWriter.aligned(dataSize, 32) * 300
        #expect(truncate(path, off_t(total)) == 0)
        #expect(total > 1_073_741_824)

        var times: [Double] = []
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            let file = try GGUFFile(path: path)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            #expect(file.tensors.count == 300)
            #expect(file.tensors.last!.offset + dataSize <= total)
        }
        let median = times.sorted()[2]
        print("BENCH gguf-open-1GiB: median \(String(format: "%.4f", median)) s over 5 opens of \(total) bytes")
        #expect(median <= 0.1)
    }

    /// The header of `writer` with every tensor taking `dataSize` bytes.
    static func headerWithSizes(_ writer: GGUFWriter, dataSize: Int) -> [UInt8] {
        var w = writer
        // Use one placeholder byte array shared by all tensors; only its count matters to headerBytes().
        let placeholder = [UInt8](repeating: 0, count: dataSize)
        for i in w.tensors.indices { w.tensors[i].data = placeholder }
        return w.headerBytes()
    }
}
