import Foundation

/// Lines of standard input as bytes, so invalid UTF-8 is reported rather than silently
/// replaced by U+FFFD as `readLine()` does.
struct StandardInputLines {
    /// One line: its text (invalid bytes repaired with U+FFFD) and whether it was valid UTF-8.
    struct Line {
        var number: Int
        var text: String
        var isValidUTF8: Bool
    }

    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var number = 0

    /// The next line without its line ending, or nil at the end of input.
    mutating func next() -> Line? {
        var bytes: [UInt8] = []
        while true {
            if position == buffer.count {
                if atEnd { break }
                let data = FileHandle.standardInput.availableData
                if data.isEmpty {
                    atEnd = true
                    break
                }
                buffer = [UInt8](data)
                position = 0
            }
            let byte = buffer[position]
            position += 1
            if byte == UInt8(ascii: "\n") {
                return line(bytes)
            }
            bytes.append(byte)
        }
        return bytes.isEmpty ? nil : line(bytes)
    }

    private mutating func line(_ bytes: [UInt8]) -> Line {
        number += 1
        var bytes = bytes
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        if let text = String(validating: bytes, as: UTF8.self) {
            return Line(number: number, text: text, isValidUTF8: true)
        }
        return Line(number: number, text: String(decoding: bytes, as: UTF8.self), isValidUTF8: false)
    }
}
