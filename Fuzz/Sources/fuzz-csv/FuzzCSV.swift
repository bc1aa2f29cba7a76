import FuzzDriver
import ParserFuzzing

private let scratch = ScratchDirectory(label: "fuzz-csv")
private let driver = FuzzDriver(seeds: CSVProbe.seeds) { [probe = CSVProbe(scratch: scratch)] in _ = probe.run($0) }

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutableRawPointer?) -> CInt { driver.initialize() }

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { driver.testOneInput(data, size) }
