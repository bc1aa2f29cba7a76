/// The version `atcfix --version` prints: the one place it is written (bump it with each release).
enum ATCFixVersion {
    static let current = "0.10.0"
}
