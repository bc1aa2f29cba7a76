/// A growable, 64-byte-aligned byte buffer that may instead borrow memory from a file mapping.
///
/// Borrowed memory (from a `MAP_PRIVATE`, writable mapping) can be modified in place — the
/// changes are private copy-on-write pages, never written back to the file — and is copied into
/// owned memory only when it must grow.
struct GraphBuffer {
    private(set) var base: UnsafeMutableRawPointer?
    private(set) var capacityBytes: Int
    private(set) var owned: Bool

    /// No memory.
    static var empty: GraphBuffer { GraphBuffer(base: nil, capacityBytes: 0, owned: true) }

    /// Borrows `bytes` at `base` (part of a mapping that outlives this buffer).
    static func borrowed(_ base: UnsafeMutableRawPointer, bytes: Int) -> GraphBuffer {
        GraphBuffer(base: base, capacityBytes: bytes, owned: false)
    }

    /// Ensures room for `bytes`, keeping the first `usedBytes`; new bytes are zeroed.
    mutating func reserve(bytes: Int, preserving usedBytes: Int) {
        if bytes <= capacityBytes { return }
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        if let base, usedBytes > 0 { newBase.copyMemory(from: base, byteCount: usedBytes) }
        (newBase + usedBytes).initializeMemory(as: UInt8.self, repeating: 0, count: bytes - usedBytes)
        if owned, let base { base.deallocate() }
        base = newBase
        capacityBytes = bytes
        owned = true
    }

    /// Frees owned memory.
    mutating func release() {
        if owned, let base { base.deallocate() }
        base = nil
        capacityBytes = 0
    }

    /// The memory as `T` elements.
    @inline(__always) func typed<T>(_: T.Type) -> UnsafeMutablePointer<T> {
        base!.assumingMemoryBound(to: T.self)
    }
}
