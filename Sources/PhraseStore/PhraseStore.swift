/// The `PhraseStore` module. See docs/ARCHITECTURE.md for its place in the pipeline.
public enum PhraseStoreModule {
    /// The module's name, for diagnostics.
    public static let name = "PhraseStore"
}
