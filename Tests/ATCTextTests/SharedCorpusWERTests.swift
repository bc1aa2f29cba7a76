import CSVIO
import Foundation
import Testing
@testable import ATCText

/// The shared corpora: `$ATCFIX_CORPORA`, else `<package root>/../shared/corpora`.
private let corporaDirectory: URL = {
    if let configured = ProcessInfo.processInfo.environment["ATCFIX_CORPORA"], !configured.isEmpty {
        return URL(fileURLWithPath: configured)
    }
    let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpora")
}()

private let corporaPresent: Bool = {
    let present = FileManager.default.fileExists(atPath: corporaDirectory.appendingPathComponent("atcosim").path)
    if !present {
        print("note: shared corpora not found at \(corporaDirectory.path) (set ATCFIX_CORPORA); "
            + "the reference-figure WER tests are skipped")
    }
    return present
}()

/// Corpus WER must agree within 0.2 points with an independent implementation of the same
/// normalisation rules (figures and row counts from shared/corpora/README.md).
@Suite(.enabled(if: corporaPresent, "shared corpora absent: set ATCFIX_CORPORA or place them at ../shared/corpora"))
struct SharedCorpusWERTests {
    @Test(arguments: [
        ("atcosim/test.whisper-small.csv", 24.5, 1901),
        ("atcosim/test.whisper-finetuned.csv", 6.2, 1901),
        ("atcosim/train.whisper-small.csv", 28.2, 7638),
        ("atco2/sample.whisper-small.csv", 86.5, 50),
    ])
    func matchesReferenceFigure(file: String, expectedPercent: Double, expectedRows: Int) throws {
        let reader = try CSVReader(url: corporaDirectory.appendingPathComponent(file))
        let reference = try reader.column(named: "correct_text")
        let hypothesis = try reader.column(named: "whisper_text")
        var corpus = CorpusWER(keepingRows: false)
        while let record = try reader.next() {
            corpus.add(reference: record[reference], hypothesis: record[hypothesis])
        }
        #expect(corpus.rowCount == expectedRows)
        #expect(abs(corpus.wer * 100 - expectedPercent) <= 0.2, "\(file): \(corpus.wer * 100)%")
    }
}
