import Foundation
import PhraseStore

/// Which model file an index was embedded with, checked cheaply at every start.
///
/// Hashing a whole 100 MB model costs a noticeable fraction of a second at every start, so an
/// index records a *sampled* fingerprint instead: the file size and one SHA-256 over the head
/// of the file (``headBytes``: a GGUF file's header, metadata — architecture, quantisation,
/// tokenizer — and tensor table), its tail (``tailBytes``) and ``sampleCount`` blocks of
/// ``sampleBytes`` spread evenly between them; about 9 MB read whatever the model's size.
///
/// What it catches: a file of another size; any change to the header, the metadata or the
/// tensor table (another model, quantisation or tokenizer); any change to the last megabyte or
/// to a sampled block — a re-quantised or fine-tuned model changes every block. What it does
/// not: an edit of the same size confined to tensor bytes between the sampled blocks (a
/// hand-patched weight), which no honest model swap produces. The full SHA-256 is still
/// recorded at build time (``sha256``) for provenance, and is what indexes built before the
/// sampled fingerprint are checked against.
public struct ModelFingerprint: Sendable, Equatable {
    /// The file size in bytes (nil in identities recorded before the sampled fingerprint).
    public var size: Int64?
    /// The hex SHA-256 of the sampled regions (nil in identities recorded before it).
    public var sampledDigest: String?
    /// The hex SHA-256 of the whole file, when known.
    public var sha256: String?

    /// Bytes hashed from the start of the file.
    public static let headBytes = 4 << 20
    /// Bytes hashed from the end of the file.
    public static let tailBytes = 1 << 20
    /// Blocks sampled between head and tail.
    public static let sampleCount = 64
    /// Bytes per sampled block.
    public static let sampleBytes = 64 << 10

    /// A fingerprint with the given parts.
    public init(size: Int64?, sampledDigest: String?, sha256: String?) {
        self.size = size
        self.sampledDigest = sampledDigest
        self.sha256 = sha256
    }

    /// The sampled fingerprint of the file at `path` (cheap), with the whole file's SHA-256
    /// too when `fullHash` is set (an index build, once).
    public static func of(fileAt path: String, fullHash: Bool = false) throws(RetrievalError) -> ModelFingerprint {
        let data = try map(path)
        return data.withUnsafeBytes { bytes in
            ModelFingerprint(size: Int64(bytes.count), sampledDigest: sampledDigest(of: bytes),
                             sha256: fullHash ? ContentHash.hex(of: bytes) : nil)
        }
    }

    /// Whether `candidate` (the sampled fingerprint of the file at `path`) is the model this
    /// fingerprint names: by size and sampled digest when recorded, else (an index from before
    /// the sampled fingerprint) by the whole file's SHA-256, cached per process by path, size
    /// and mtime.
    public func matches(_ candidate: ModelFingerprint, path: String) throws(RetrievalError) -> Bool {
        if let size, let sampledDigest {
            return candidate.size == size && candidate.sampledDigest == sampledDigest
        }
        guard let sha256 else { return false }
        if let known = candidate.sha256 { return known == sha256 }
        return try Self.sha256(ofFileAt: path) == sha256
    }

    /// A short human-readable name for messages.
    public var summary: String {
        if let sampledDigest, let size { return "fingerprint \(sampledDigest.prefix(16))…, \(size) bytes" }
        return "sha256 \(sha256.map { String($0.prefix(16)) } ?? "?")…"
    }

    /// The digest of the sampled regions of `bytes`: a domain tag, the size, the head, the
    /// sampled blocks and the tail (regions overlap harmlessly in a small file).
    static func sampledDigest(of bytes: UnsafeRawBufferPointer) -> String {
        var hash = ContentHash()
        hash.update(field: "atcfix model fingerprint v1")
        withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { hash.update($0) }
        func feed(_ start: Int, _ length: Int) {
            let lower = max(0, min(start, bytes.count)), upper = max(lower, min(start + length, bytes.count))
            hash.update(UnsafeRawBufferPointer(rebasing: bytes[lower..<upper]))
        }
        feed(0, headBytes)
        let middle = max(0, bytes.count - headBytes - tailBytes)
        for index in 0..<sampleCount {
            feed(headBytes + index * middle / sampleCount, sampleBytes)
        }
        feed(bytes.count - tailBytes, tailBytes)
        return hash.hexDigest()
    }

    /// The hex SHA-256 of the whole file at `path` (cached per process by path, size, mtime).
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
        let digest = try map(path).withUnsafeBytes { ContentHash.hex(of: $0) }
        cache.set(digest, for: key)
        return digest
    }

    private static let cache = FingerprintCache()

    private static func map(_ path: String) throws(RetrievalError) -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw RetrievalError("\(path): cannot read the model file (\(error.localizedDescription)); check --model")
        }
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
