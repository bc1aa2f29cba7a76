import Support

/// A string array from GGUF metadata, decoded lazily.
///
/// Vocabularies hold 50k–150k strings (tokens and merges); turning each into a `String` at open
/// time would dominate load time, so arrays read from a file keep the byte spans inside the
/// mapping and decode on access. Arrays built in code (for writing files) own their strings.
public struct GGUFStringArray: Sendable, Equatable, RandomAccessCollection, ExpressibleByArrayLiteral {
    private enum Storage: Sendable {
        case owned([String])
        case mapped(MappedFile, starts: [Int], lengths: [Int])
    }
    private let storage: Storage

    /// An array owning `strings`.
    public init(_ strings: [String]) {
        storage = .owned(strings)
    }

    /// An array literal of strings.
    public init(arrayLiteral elements: String...) {
        storage = .owned(elements)
    }

    /// Spans (`starts[i]`, `lengths[i]`) inside `mapping`, already bounds-checked by the reader.
    init(mapping: MappedFile, starts: [Int], lengths: [Int]) {
        storage = .mapped(mapping, starts: starts, lengths: lengths)
    }

    /// The first index (0).
    public var startIndex: Int { 0 }

    /// The number of strings.
    public var endIndex: Int {
        switch storage {
        case .owned(let a): a.count
        case .mapped(_, let starts, _): starts.count
        }
    }

    /// The string at `index`; invalid UTF-8 is repaired with U+FFFD (use `utf8Bytes` for the raw bytes).
    public subscript(index: Int) -> String {
        switch storage {
        case .owned(let a): a[index]
        case .mapped(let mapping, let starts, let lengths):
            String(decoding: UnsafeRawBufferPointer(rebasing: mapping.bytes[starts[index]..<(starts[index] + lengths[index])]), as: UTF8.self)
        }
    }

    /// The exact bytes of the string at `index`, as stored (GGUF strings are not guaranteed to be
    /// valid UTF-8; vocabularies occasionally are not).
    public func utf8Bytes(_ index: Int) -> [UInt8] {
        switch storage {
        case .owned(let a): Array(a[index].utf8)
        case .mapped(let mapping, let starts, let lengths):
            Array(UnsafeRawBufferPointer(rebasing: mapping.bytes[starts[index]..<(starts[index] + lengths[index])]))
        }
    }

    /// Element-wise equality of the decoded strings.
    public static func == (lhs: GGUFStringArray, rhs: GGUFStringArray) -> Bool {
        lhs.count == rhs.count && lhs.indices.allSatisfy { lhs.utf8Bytes($0) == rhs.utf8Bytes($0) }
    }
}
