import Foundation
import HTTPTestClient
import Testing

/// The secret format (PRODUCT.md §3), computed independently of TesseraCore:
/// a reference the service tests check issued secrets against.
enum SecretFormat {
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    /// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zlib computes it.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0 ..< 8 {
                crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1
            }
        }
        return ~crc
    }

    /// Base62, most significant digit first, left-padded with 0 to 6.
    static func base62(_ value: UInt32) -> String {
        var digits: [Character] = []
        var rest = UInt64(value)
        repeat {
            digits.append(alphabet[Int(rest % 62)])
            rest /= 62
        } while rest > 0
        while digits.count < 6 { digits.append("0") }
        return String(digits.reversed())
    }

    /// The checksum the first 36 characters call for.
    static func checksum(_ body: String) -> String { base62(crc32(Array(body.utf8))) }

    /// A fresh secret with a valid checksum that no server issued.
    static func make(prefix: String) -> String {
        let random = String((0 ..< 32).map { _ in alphabet.randomElement()! })
        return prefix + random + checksum(prefix + random)
    }

    static func expectWellFormed(_ secret: String?, prefix: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let secret else {
            Issue.record("no secret", sourceLocation: sourceLocation)
            return
        }
        #expect(secret.hasPrefix(prefix), "\(secret.prefix(4))", sourceLocation: sourceLocation)
        #expect(secret.count == 42, sourceLocation: sourceLocation)
        #expect(secret.utf8.count == 42, sourceLocation: sourceLocation)
        #expect(secret.dropFirst(4).allSatisfy { alphabet.contains($0) }, sourceLocation: sourceLocation)
        #expect(String(secret.suffix(6)) == checksum(String(secret.prefix(36))), "checksum does not match", sourceLocation: sourceLocation)
    }
}
