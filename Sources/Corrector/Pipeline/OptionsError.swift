/// An engine option out of its allowed range (``CorrectionEngine/Options/validate()``).
public struct OptionsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The option, as named in ``CorrectionEngine/Options``.
    public var option: String
    /// What is wrong, with the allowed range and the value given.
    public var message: String

    /// An error about one option.
    public init(option: String, message: String) {
        self.option = option
        self.message = message
    }

    /// `option message`.
    public var description: String { "\(option) \(message)" }
}
