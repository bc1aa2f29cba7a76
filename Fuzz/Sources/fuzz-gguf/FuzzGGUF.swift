import FuzzDriver
import ParserFuzzing

private let scratch = ScratchDirectory(label: "fuzz-gguf")
private let driver = FuzzDriver(seeds: GGUFProbe.seeds) { [probe = GGUFProbe(scratch: scratch)] in _ = probe.run($0) }

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutableRawPointer?) -> CInt { driver.initialize() }

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { driver.testOneInput(data, size) }
