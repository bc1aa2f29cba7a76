/// The `ATCText` module. See docs/ARCHITECTURE.md for its place in the pipeline.
public enum ATCTextModule {
    /// The module's name, for diagnostics.
    public static let name = "ATCText"
}
