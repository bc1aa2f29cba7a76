/// The `CSVIO` module. See docs/ARCHITECTURE.md for its place in the pipeline.
public enum CSVIOModule {
    /// The module's name, for diagnostics.
    public static let name = "CSVIO"
}
