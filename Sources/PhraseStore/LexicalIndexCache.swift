import Foundation

/// A lock-protected slot for the store's lexical index, so a `Sendable` store can build it
/// lazily from any thread.
final class LexicalIndexCache: @unchecked Sendable {
    private let lock = NSLock()
    private var index: LexicalIndex?

    /// The cached index, if built.
    var value: LexicalIndex? {
        get { lock.withLock { index } }
        set { lock.withLock { index = newValue } }
    }

    /// Drops the index (after an import changed the phrases).
    func clear() {
        value = nil
    }
}
