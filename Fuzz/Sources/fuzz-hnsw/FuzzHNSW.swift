import FuzzDriver
import ParserFuzzing

private let scratch = ScratchDirectory(label: "fuzz-hnsw")
// Every input is tried as it is and resealed (checksums recomputed), so that mutations reach
// the structural checks behind the CRCs as a forged file would.
private let driver = FuzzDriver(seeds: { HNSWProbe.seeds(scratch: scratch) }) { [probe = HNSWProbe(scratch: scratch)] in
    _ = probe.run($0)
    _ = probe.run(HNSWProbe.resealed($0))
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutableRawPointer?) -> CInt { driver.initialize() }

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { driver.testOneInput(data, size) }
