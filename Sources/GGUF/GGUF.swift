/// The `GGUF` module. See docs/ARCHITECTURE.md for its place in the pipeline.
public enum GGUFModule {
    /// The module's name, for diagnostics.
    public static let name = "GGUF"
}
