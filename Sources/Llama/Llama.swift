/// The `Llama` module. See docs/ARCHITECTURE.md for its place in the pipeline.
public enum LlamaModule {
    /// The module's name, for diagnostics.
    public static let name = "Llama"
}
