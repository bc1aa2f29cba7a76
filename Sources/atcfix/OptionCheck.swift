import ArgumentParser

/// Range checks for `validate()`, with the message form every command uses:
/// `--k must be between 1 and 64 (got -1)`.
enum OptionCheck {
    static func range<T: Comparable & CustomStringConvertible>(_ flag: String, _ value: T, _ allowed: ClosedRange<T>) throws {
        guard allowed.contains(value) else {
            throw ValidationError("\(flag) must be between \(allowed.lowerBound) and \(allowed.upperBound) (got \(value))")
        }
    }

    static func range<T: Comparable & CustomStringConvertible>(_ flag: String, _ value: T?, _ allowed: ClosedRange<T>) throws {
        if let value { try range(flag, value, allowed) }
    }

    /// A finite floating-point value in `allowed`.
    static func range(_ flag: String, _ value: Double, _ allowed: ClosedRange<Double>) throws {
        guard value.isFinite, allowed.contains(value) else {
            throw ValidationError("\(flag) must be between \(allowed.lowerBound) and \(allowed.upperBound) (got \(value))")
        }
    }

    static func range(_ flag: String, _ value: Float, _ allowed: ClosedRange<Float>) throws {
        try range(flag, Double(value), Double(allowed.lowerBound)...Double(allowed.upperBound))
    }

    /// Threads: 1 up to 256.
    static func threads(_ value: Int, flag: String = "--threads") throws {
        try range(flag, value, 1...256)
    }
}
