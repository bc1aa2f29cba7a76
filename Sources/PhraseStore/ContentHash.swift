import Crypto

/// SHA-256 (FIPS 180-4) as hex text: the fingerprint of an import's input (so that importing
/// the same corpus twice is recognised and changes nothing), of the embedded corpus, and of
/// model files for indexes.
///
/// A thin wrapper over swift-crypto's `SHA256` (BoringSSL's assembly on Linux, CryptoKit on
/// Apple platforms) that adds the two things callers share: hex output and NUL-terminated
/// fields, so that consecutive strings cannot run together. Not `Sendable` because
/// swift-crypto's `SHA256` is not on Linux: hash within one task.
public struct ContentHash {
    private var hasher = SHA256()

    /// An empty hash.
    public init() {}

    /// Feeds `bytes` into the hash.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let contiguous: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
        }
        if contiguous == nil {
            let copy = Array(bytes)
            copy.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        }
    }

    /// Feeds raw bytes into the hash (a memory-mapped model file, without copying).
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
    }

    /// Feeds the UTF-8 bytes of `text` followed by a 0 byte, so that consecutive strings
    /// cannot run together ("ab"+"c" differs from "a"+"bc").
    public mutating func update(field text: String) {
        update(Array(text.utf8))
        update(CollectionOfOne(UInt8(0)))
    }

    /// The digest as 64 lowercase hexadecimal characters (the hash can still be fed after).
    public func hexDigest() -> String {
        let hexDigits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(2 * SHA256.byteCount)
        for byte in hasher.finalize() {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The hash of raw bytes, in one call.
    public static func hex(of bytes: UnsafeRawBufferPointer) -> String {
        var hash = ContentHash()
        hash.update(bytes)
        return hash.hexDigest()
    }

    /// The hash of `bytes`, in one call.
    public static func hex<Bytes: Sequence>(of bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var hash = ContentHash()
        hash.update(bytes)
        return hash.hexDigest()
    }
}
