import Corrector

/// The default index and model paths of every option, by ``DefaultLocations``' rule (flag,
/// environment, per-user data directory, developer checkout), so the binary works from any
/// working directory.
enum Defaults {
    static var locations: DefaultLocations { DefaultLocations() }
    /// The default index directory.
    static var indexPath: String { locations.index().path }
    /// The default GGUF model (embedding and judging).
    static var modelPath: String { locations.model().path }
}
