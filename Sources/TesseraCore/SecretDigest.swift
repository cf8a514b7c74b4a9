import Crypto

/// The SHA-256 of a secret's UTF-8 bytes: what the store keeps instead of the
/// secret. Four words, so hashing and equality are a few instructions.
public struct SecretDigest: Hashable, Sendable {
    // The digest's bytes, big-endian, eight to a word.
    let w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    init(_ w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64) {
        self.w0 = w0
        self.w1 = w1
        self.w2 = w2
        self.w3 = w3
    }

    /// A digest from its 32 stored bytes; nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for (i, byte) in bytes.enumerated() {
            let value = UInt64(byte) << (8 * UInt64(7 - i % 8))
            switch i / 8 {
            case 0: words.0 |= value
            case 1: words.1 |= value
            case 2: words.2 |= value
            default: words.3 |= value
            }
        }
        self.init(words.0, words.1, words.2, words.3)
    }

    /// The 32 bytes, in digest order (for storage as a BLOB).
    public var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { buffer, count in
            let base = buffer.baseAddress!
            base.storeBigEndian(w0)
            (base + 8).storeBigEndian(w1)
            (base + 16).storeBigEndian(w2)
            (base + 24).storeBigEndian(w3)
            count = 32
        }
    }

    /// Lowercase hex, as `sha256sum` prints it.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 64) { buffer in
            for (i, byte) in bytes.enumerated() {
                buffer[2 * i] = digits[Int(byte >> 4)]
                buffer[2 * i + 1] = digits[Int(byte & 0xF)]
            }
            return 64
        }
    }

    public func hash(into hasher: inout Hasher) {
        // All four words through the seeded hasher: the digests are
        // attacker-influenced keys of the verification cache.
        hasher.combine(w0)
        hasher.combine(w1)
        hasher.combine(w2)
        hasher.combine(w3)
    }

    public static func == (lhs: SecretDigest, rhs: SecretDigest) -> Bool {
        // Constant time: no early exit on the first differing word.
        ((lhs.w0 ^ rhs.w0) | (lhs.w1 ^ rhs.w1) | (lhs.w2 ^ rhs.w2) | (lhs.w3 ^ rhs.w3)) == 0
    }
}

extension SecretDigest {
    /// The SHA-256 of `text`'s UTF-8 bytes.
    ///
    /// From apple/swift-crypto (BoringSSL's assembly on Linux, CryptoKit on
    /// Apple platforms), already in the build through postgres-nio, so it
    /// costs no build time; it runs on every authenticated request (one
    /// 64-byte block for a 42-character secret) and allocates nothing.
    public init(of text: String) {
        var text = text
        self = text.withUTF8 { Self(hashing: UnsafeRawBufferPointer($0)) }
    }

    /// The SHA-256 of `bytes`.
    public init(of bytes: some Collection<UInt8>) {
        self = bytes.withContiguousStorageIfAvailable { Self(hashing: UnsafeRawBufferPointer($0)) }
            ?? Array(bytes).withUnsafeBytes { Self(hashing: $0) }
    }

    private init(hashing buffer: UnsafeRawBufferPointer) {
        var hasher = Crypto.SHA256()
        hasher.update(bufferPointer: buffer)
        self = hasher.finalize().withUnsafeBytes { digest in
            SecretDigest(UInt64(bigEndian: digest.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                         UInt64(bigEndian: digest.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                         UInt64(bigEndian: digest.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
                         UInt64(bigEndian: digest.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
        }
    }
}

extension UnsafeMutablePointer<UInt8> {
    @inline(__always)
    func storeBigEndian(_ word: UInt64) {
        UnsafeMutableRawPointer(self).storeBytes(of: word.bigEndian, as: UInt64.self)
    }
}

extension TokenSecret {
    /// SHA-256 of the secret's UTF-8 bytes: what the store keeps.
    public var digest: SecretDigest { SecretDigest(of: text) }
}
