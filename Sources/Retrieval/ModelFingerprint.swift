import Foundation
import PhraseStore

/// The SHA-256 of a model file, which names the model in an index's identity.
///
/// Hashing the whole file is what makes the check trustworthy (two quantisations of the same
/// model share their metadata); it costs about a second per 100 MB, so results are cached per
/// process, keyed by path, size and modification time.
public enum ModelFingerprint {
    private static let cache = FingerprintCache()

    /// The hex SHA-256 of the file at `path`.
    public static func sha256(ofFileAt path: String) throws(RetrievalError) -> String {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw RetrievalError("\(path): cannot read the model file (\(error.localizedDescription)); check --model")
        }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let key = "\(path)|\(size)|\(modified)"
        if let known = cache.value(for: key) { return known }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw RetrievalError("\(path): cannot read the model file (\(error.localizedDescription)); check --model")
        }
        let digest = data.withUnsafeBytes { ContentHash.hex(of: $0) }
        cache.set(digest, for: key)
        return digest
    }
}

private final class FingerprintCache: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: String] = [:]

    func value(for key: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        return values[key]
    }

    func set(_ value: String, for key: String) {
        lock.lock()
        defer { lock.unlock() }
        values[key] = value
    }
}
