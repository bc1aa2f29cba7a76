/// The `Corrector` module. See docs/ARCHITECTURE.md for its place in the pipeline.
public enum CorrectorModule {
    /// The module's name, for diagnostics.
    public static let name = "Corrector"
}
