/// The `Retrieval` module. See docs/ARCHITECTURE.md for its place in the pipeline.
public enum RetrievalModule {
    /// The module's name, for diagnostics.
    public static let name = "Retrieval"
}
