/// The `VectorIndex` module. See docs/ARCHITECTURE.md for its place in the pipeline.
public enum VectorIndexModule {
    /// The module's name, for diagnostics.
    public static let name = "VectorIndex"
}
