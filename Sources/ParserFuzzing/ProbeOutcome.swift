/// What a parser made of one input: the only two acceptable answers to any bytes.
public enum ProbeOutcome: Sendable, Equatable {
    /// The input parsed, and using the result (searching, tokenizing, reading every record)
    /// raised nothing.
    case accepted
    /// The parser refused the input with its own typed error; the message is kept so tests can
    /// check it names the file.
    case rejected(String)
}
