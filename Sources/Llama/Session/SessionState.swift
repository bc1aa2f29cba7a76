/// A snapshot of a session's evaluated prefix: its tokens and their keys and values.
///
/// Saving after a fixed instruction block and restoring for each request evaluates that block
/// once (prefix reuse). A value type and `Sendable`, so one snapshot can seed sessions on
/// several threads.
public struct SessionState: Sendable {
    /// The tokens evaluated, in order (their positions are their indices).
    public let tokens: [Int32]
    /// Keys, `[layer][position][kvWidth]` flattened, f16 as in the cache.
    let keys: [Float16]
    /// Values, same layout as `keys`.
    let values: [Float16]
    /// KV width the snapshot was taken with (checked on restore).
    let kvWidth: Int
    /// Layers the snapshot was taken with (checked on restore).
    let layerCount: Int
}
