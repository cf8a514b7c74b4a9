/// A token secret: `tsp_`, `tss_` or `tsa_`, 32 random base62 characters and
/// a 6-character base62 CRC32 checksum of everything before it (42 characters
/// in all), so a malformed or mistyped token is refused without a database
/// read and secret scanners can recognise leaks.
///
/// Printing a secret (`description`, `debugDescription`, `dump`) shows only
/// its prefix and preview, `tsp_…ab123`; the full secret is `text`.
public struct TokenSecret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let kind: TokenKind
    /// The full secret; show it once, never log it.
    public let text: String

    /// Characters in a secret: prefix (3), `_`, random part, checksum.
    public static let length = 42
    /// Random base62 characters after the `_`.
    public static let randomLength = 32
    /// Base62 characters of the checksum.
    public static let checksumLength = 6
    /// Characters of `preview`.
    public static let previewLength = 5
    // Bytes the checksum covers: prefix, `_`, random part.
    static let checkedLength = 4 + randomLength

    /// A new secret from the system's CSPRNG (`getrandom` on Linux).
    public static func generate(_ kind: TokenKind) -> TokenSecret {
        var rng = SystemRandomNumberGenerator()
        return generate(kind, using: &rng)
    }

    /// A new secret from `rng` (a fixed-seed generator gives a fixed secret).
    /// Each random character comes from one byte of the generator's output:
    /// bytes are taken from each `UInt64` least significant first, a byte
    /// below 248 (4 × 62) gives `alphabet[byte % 62]` and any other byte is
    /// skipped, so every character is uniform.
    public static func generate(_ kind: TokenKind, using rng: inout some RandomNumberGenerator) -> TokenSecret {
        let text = String(unsafeUninitializedCapacity: length) { buffer in
            let prefix = kind.rawValue.utf8
            var i = 0
            for byte in prefix {
                buffer[i] = byte
                i += 1
            }
            buffer[i] = UInt8(ascii: "_")
            i += 1
            Base62.digits.withUnsafeBufferPointer { digits in
                while i < checkedLength {
                    var word = rng.next()
                    for _ in 0 ..< 8 where i < checkedLength {
                        let byte = UInt8(truncatingIfNeeded: word)
                        word >>= 8
                        if byte < 248 {
                            buffer[i] = digits[Int(byte % 62)]
                            i += 1
                        }
                    }
                }
            }
            let checksum = CRC32.checksum(UnsafeBufferPointer(rebasing: buffer[0 ..< checkedLength]))
            Base62.write(checksum, into: UnsafeMutableBufferPointer(rebasing: buffer[checkedLength ..< length]))
            return length
        }
        return TokenSecret(kind: kind, text: text)
    }

    private init(kind: TokenKind, text: String) {
        self.kind = kind
        self.text = text
    }

    /// A secret as a client sent it; nil unless it is exactly a known prefix,
    /// `_`, 32 base62 characters and the checksum that matches them. Checks
    /// the bytes in place: the only allocation is the accepted secret's text.
    public init?(parsing text: some StringProtocol) {
        let utf8 = text.utf8
        guard utf8.count == Self.length else { return nil }
        let kind = utf8.withContiguousStorageIfAvailable { Self.validate($0) }
            ?? Array(utf8).withUnsafeBufferPointer { Self.validate($0) }
        guard let kind else { return nil }
        self.init(kind: kind, text: String(text))
    }

    /// The kind of a well-formed secret's bytes, or nil.
    static func validate(_ bytes: UnsafeBufferPointer<UInt8>) -> TokenKind? {
        guard bytes.count == length, bytes[0] == UInt8(ascii: "t"), bytes[1] == UInt8(ascii: "s"), bytes[3] == UInt8(ascii: "_") else { return nil }
        let kind: TokenKind
        switch bytes[2] {
        case UInt8(ascii: "p"): kind = .personal
        case UInt8(ascii: "s"): kind = .service
        case UInt8(ascii: "a"): kind = .access
        default: return nil
        }
        return Base62.values.withUnsafeBufferPointer { values -> TokenKind? in
            for i in 4 ..< checkedLength where values[Int(bytes[i])] == 0xFF {
                return nil
            }
            var checksum: UInt64 = 0
            for i in checkedLength ..< length {
                let value = values[Int(bytes[i])]
                guard value != 0xFF else { return nil }
                checksum = checksum * 62 + UInt64(value)
            }
            // Six base62 digits hold less than 62^6, so the value matches
            // only the one spelling `Base62.encode` gives the CRC.
            let expected = CRC32.checksum(UnsafeBufferPointer(rebasing: bytes[0 ..< checkedLength]))
            return checksum == UInt64(expected) ? kind : nil
        }
    }

    /// The last 5 characters (part of the checksum), safe to show and store.
    public var preview: String { String(text.utf8.suffix(Self.previewLength))! }

    /// Redacted: prefix and preview only, e.g. `tsp_…ab123`.
    public var description: String { "\(kind.rawValue)_…\(preview)" }

    public var debugDescription: String { "TokenSecret(\(description))" }

    public var customMirror: Mirror {
        Mirror(self, children: ["kind": kind, "preview": preview], displayStyle: .struct)
    }

    /// Compares every byte whatever the first difference.
    public static func == (lhs: TokenSecret, rhs: TokenSecret) -> Bool {
        lhs.kind == rhs.kind && constantTimeEquals(lhs.text.utf8, rhs.text.utf8)
    }
}
