import FuzzDriver
import ParserFuzzing

private let scratch = ScratchDirectory(label: "fuzz-corpus-import")
// The default corpus (the repository's corpora/, or $ATCFIX_CORPUS_DIR) is what a real import uses.
private let probe: CorpusImportProbe = {
    do {
        return try CorpusImportProbe(scratch: scratch)
    } catch {
        fatalError("cannot set up the corpus import probe: \(error)")
    }
}()
private let driver = FuzzDriver(seeds: CorpusImportProbe.seeds) { _ = probe.run($0) }

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutableRawPointer?) -> CInt { driver.initialize() }

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { driver.testOneInput(data, size) }
