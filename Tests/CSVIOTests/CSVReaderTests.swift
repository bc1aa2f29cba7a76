import Foundation
import Testing
@testable import CSVIO

@Suite struct CSVReaderTests {
    @Test(arguments: chunkSizes)
    func plainRecordsWithLineNumbers(chunkSize: Int) throws {
        let scratch = try ScratchDirectory()
        let url = try scratch.file("plain.csv", "file,whisper_text,correct_text\na.wav,hello,hallo\nb.wav,,x\n")
        let (header, records) = try readAll(url, chunkSize: chunkSize)
        #expect(header == ["file", "whisper_text", "correct_text"])
        #expect(records == [
            CSVRecord(line: 2, fields: ["a.wav", "hello", "hallo"]),
            CSVRecord(line: 3, fields: ["b.wav", "", "x"]),
        ])
    }

    @Test(arguments: chunkSizes)
    func rfc4180Quoting(chunkSize: Int) throws {
        let scratch = try ScratchDirectory()
        let text = "a,b\n"
            + "\"Contact Milan, goodbye.\",\"say \"\"again\"\"\"\n"  // line 2: comma and doubled quotes
            + "\"two\nlines\",\"\"\n"  // line 3-4: line break inside quotes, empty quoted field
            + "last,row\n"  // line 5
        let url = try scratch.file("quoted.csv", text)
        let (_, records) = try readAll(url, chunkSize: chunkSize)
        #expect(records == [
            CSVRecord(line: 2, fields: ["Contact Milan, goodbye.", "say \"again\""]),
            CSVRecord(line: 3, fields: ["two\nlines", ""]),
            CSVRecord(line: 5, fields: ["last", "row"]),
        ])
    }

    @Test(arguments: chunkSizes)
    func crlfBomAndNoFinalNewline(chunkSize: Int) throws {
        let scratch = try ScratchDirectory()
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("id,text\r\n1,\"a\r\nb\"\r\n2,zürich".utf8)
        let url = try scratch.file("crlf.csv", bytes: bytes)
        let (header, records) = try readAll(url, chunkSize: chunkSize)
        #expect(header == ["id", "text"])  // the BOM is not part of the first column name
        #expect(records == [
            CSVRecord(line: 2, fields: ["1", "a\r\nb"]),  // CRLF inside quotes is kept verbatim
            CSVRecord(line: 4, fields: ["2", "zürich"]),
        ])
    }

    @Test func blankLinesAreSkipped() throws {
        let scratch = try ScratchDirectory()
        let url = try scratch.file("blank.csv", "a,b\n\n1,2\r\n\r\n\n")
        let (_, records) = try readAll(url)
        #expect(records == [CSVRecord(line: 3, fields: ["1", "2"])])
    }

    @Test func headerOnlyHasNoRecords() throws {
        let scratch = try ScratchDirectory()
        let (header, records) = try readAll(try scratch.file("h.csv", "a,b"))
        #expect(header == ["a", "b"])
        #expect(records.isEmpty)
    }

    @Test func columnLookup() throws {
        let scratch = try ScratchDirectory()
        let reader = try CSVReader(url: try scratch.file("c.csv", "file,whisper_text,correct_text\n"))
        #expect(try reader.column(named: "correct_text") == 2)
        let error = csvError { _ = try reader.column(named: "reference") }
        #expect(error?.kind == .missingColumn(name: "reference", found: ["file", "whisper_text", "correct_text"]))
        let message = error?.description ?? ""
        #expect(message.contains("\"reference\""))
        #expect(message.contains("\"file\", \"whisper_text\", \"correct_text\""))
        #expect(message.contains("c.csv"))
    }

    @Test func forEachVisitsEveryRecord() throws {
        let scratch = try ScratchDirectory()
        let reader = try CSVReader(url: try scratch.file("f.csv", "n\n1\n2\n3\n"))
        var seen: [String] = []
        try reader.forEachRecord { seen.append($0[0]) }
        #expect(seen == ["1", "2", "3"])
    }
}

/// Every malformed input gets its own error with the line to look at.
@Suite struct CSVReaderErrorTests {
    @Test(arguments: chunkSizes)
    func unterminatedQuoteNamesTheLineItOpensOn(chunkSize: Int) throws {
        let scratch = try ScratchDirectory()
        let url = try scratch.file("u.csv", "a,b\n1,2\n3,\"never closed\n4,5\n")
        let error = csvError { _ = try readAll(url, chunkSize: chunkSize) }
        #expect(error == CSVError(file: url.path, line: 3, kind: .unterminatedQuote))
        #expect(error?.description.hasPrefix("\(url.path):3: ") == true)
    }

    @Test func quoteInsideUnquotedField() throws {
        let scratch = try ScratchDirectory()
        let url = try scratch.file("s.csv", "a,b\n1,2\n3,say \"hi\"\n")
        let error = csvError { _ = try readAll(url) }
        #expect(error == CSVError(file: url.path, line: 3, kind: .strayQuote(field: 2)))
    }

    @Test func textAfterClosingQuote() throws {
        let scratch = try ScratchDirectory()
        let url = try scratch.file("t.csv", "a,b\n\"x\"y,2\n")
        let error = csvError { _ = try readAll(url) }
        #expect(error == CSVError(file: url.path, line: 2, kind: .strayQuote(field: 1)))
    }

    @Test func wrongFieldCount() throws {
        let scratch = try ScratchDirectory()
        let url = try scratch.file("w.csv", "a,b,c\n1,2,3\n\"multi\nline\",2,3\n4,5\n")
        let error = csvError { _ = try readAll(url) }
        #expect(error == CSVError(file: url.path, line: 5, kind: .wrongFieldCount(expected: 3, found: 2)))
        #expect(error?.description.contains("2 fields but the header has 3") == true)
    }

    @Test(arguments: [[], [0xEF, 0xBB, 0xBF], Array("\n\n\r\n".utf8)] as [[UInt8]])
    func emptyFile(bytes: [UInt8]) throws {
        let scratch = try ScratchDirectory()
        let url = try scratch.file("e.csv", bytes: bytes)
        let error = csvError { _ = try CSVReader(url: url) }
        #expect(error == CSVError(file: url.path, line: nil, kind: .emptyFile))
        #expect(error?.description.contains("empty") == true)
    }

    @Test func invalidUTF8() throws {
        let scratch = try ScratchDirectory()
        // "zürich" in Latin-1: 0xFC is not valid UTF-8.
        let bytes = Array("a,b\n1,2\n3,z".utf8) + [0xFC] + Array("rich\n".utf8)
        let url = try scratch.file("l.csv", bytes: bytes)
        let error = csvError { _ = try readAll(url) }
        #expect(error == CSVError(file: url.path, line: 3, kind: .invalidUTF8(field: 2)))
        #expect(error?.description.contains("UTF-8") == true)
    }

    @Test func invalidUTF8InHeader() throws {
        let scratch = try ScratchDirectory()
        let url = try scratch.file("h.csv", bytes: [0xEF, 0xBB, 0x41, 0x0A])  // a broken BOM
        let error = csvError { _ = try CSVReader(url: url) }
        #expect(error == CSVError(file: url.path, line: 1, kind: .invalidUTF8(field: 1)))
    }

    @Test func missingFile() throws {
        let scratch = try ScratchDirectory()
        let url = scratch.url.appendingPathComponent("absent.csv")
        let error = csvError { _ = try CSVReader(url: url) }
        guard case .cannotRead = error?.kind else {
            Issue.record("expected cannotRead, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains("absent.csv") == true)
        #expect(error?.description.contains("no such file") == true)
    }

    @Test func directoryInsteadOfFile() throws {
        let scratch = try ScratchDirectory()
        let error = csvError { _ = try CSVReader(url: scratch.url) }
        #expect(error == CSVError(file: scratch.url.path, line: nil,
                                  kind: .cannotRead(reason: "it is a directory, not a CSV file")))
    }
}
