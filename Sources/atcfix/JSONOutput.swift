import Foundation

/// The one JSON encoder of every `--json` output: snake_case keys from Codable output structs,
/// sorted keys, unescaped slashes, compact (one object per line, so outputs are JSON Lines).
enum JSONOutput {
    /// `value` as one line of JSON.
    static func line(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Prints `value` as one line of JSON on standard output.
    static func print(_ value: some Encodable) throws {
        Swift.print(try line(value))
    }

    /// A score as printed: rounded to 4 decimals; nil (JSON null) when not finite, which
    /// JSON cannot represent.
    static func score(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        return (value * 10_000).rounded() / 10_000
    }

    /// A score as printed (Float input).
    static func score(_ value: Float) -> Double? { score(Double(value)) }
}
