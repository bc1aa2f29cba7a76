import Foundation
import PhraseStore

/// The SHA-256 of a model file, which names the model in an index's identity.
///
/// Hashing the whole file is what makes the check trustworthy (two quantisations of the same
/// model share their metadata); it costs a fraction of a second per 100 MB in a release build,
/// so results are cached per process, keyed by path, size and modification time.
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
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw RetrievalError("\(path): cannot open the model file; check --model")
        }
        defer { try? handle.close() }
        var hash = ContentHash()
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 8 << 20) ?? Data()
            } catch {
                throw RetrievalError("\(path): read failed while hashing the model (\(error.localizedDescription))")
            }
            if chunk.isEmpty { break }
            hash.update(chunk)
        }
        let digest = hash.hexDigest()
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
