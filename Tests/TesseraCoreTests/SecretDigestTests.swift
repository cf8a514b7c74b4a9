import Foundation
import TestSupport
import Testing
@testable import TesseraCore

func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}

/// The bytes `(i * 7 + 3) & 0xFF` for i in 0..<n (the messages behind the
/// precomputed constants below).
func pattern(_ n: Int) -> [UInt8] {
    (0 ..< n).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
}

/// SHA-256 (swift-crypto) as Tessera calls it: known vectors, lengths
/// across block boundaries against sha256sum, and the digest type.
@Suite struct SecretDigestTests {
    /// FIPS 180-4 / NIST CSRC example vectors.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func nistVectors(message: String, expected: String) {
        #expect(hex(SecretDigest(of: Array(message.utf8)).bytes) == expected)
        #expect(SecretDigest(of: message).hex == expected)
        #expect(hex(SecretDigest(of: message.utf8).bytes) == expected)
    }

    @Test func oneMillionAs() {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(hex(SecretDigest(of: message).bytes) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Lengths around the padding boundaries, against Python's hashlib.
    @Test(arguments: [
        (55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b"),
        (56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27"),
        (63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055"),
        (64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241"),
        (65, "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e"),
        (119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e"),
        (120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5"),
        (127, "a8d23e75d936f303d248888d9b165ee543f4cbafcad3c9dd2a79bd84faa11d07"),
        (128, "d2742f1f4ac6bb7ca2b239ee18402ba8b3f9f8e652d2a72973c2b9ba11c08cf6"),
        (129, "307f8fc2c1622b92762e818d39a185d4d667ad49a4b07ceae1f4afa008a93ec4"),
    ])
    func paddingBoundaries(length: Int, expected: String) {
        let message = pattern(length)
        #expect(hex(SecretDigest(of: message).bytes) == expected)
        // A non-contiguous collection takes the copying path.
        #expect(hex(SecretDigest(of: message.lazy.map { $0 }).bytes) == expected)
        #expect(SecretDigest(of: message).hex == expected)
    }

    /// Every length from 0 to 200 against coreutils' `sha256sum` (Debian
    /// always has it; without it this test fails rather than skips).
    @Test func everyLengthAgainstSha256sum() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sha256-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var ours: [String] = []
        var paths: [String] = []
        for length in 0 ... 200 {
            let message = (0 ..< length).map { UInt8(truncatingIfNeeded: ($0 &* 31) ^ length) }
            let path = directory.appendingPathComponent("m\(length)").path
            try Data(message).write(to: URL(fileURLWithPath: path))
            paths.append(path)
            ours.append(hex(SecretDigest(of: message).bytes))
        }
        let result = try run(URL(fileURLWithPath: "/usr/bin/sha256sum"), paths)
        #expect(result.status == 0, "\(result.stderr)")
        let theirs = result.stdout.split(separator: "\n").map { String($0.prefix(64)) }
        #expect(theirs.count == ours.count)
        for (length, (mine, reference)) in zip(ours, theirs).enumerated() {
            #expect(mine == reference, "length \(length)")
        }
    }

    @Test func digestBytesRoundTrip() throws {
        let digest = SecretDigest(of: "abc")
        #expect(digest.bytes == SecretDigest(of: Array("abc".utf8)).bytes)
        #expect(digest.bytes.count == 32)
        let again = try #require(SecretDigest(bytes: digest.bytes))
        #expect(again == digest)
        #expect(again.hashValue == digest.hashValue)
        #expect(SecretDigest(bytes: digest.bytes[...]) == digest)
        #expect(SecretDigest(bytes: digest.bytes.dropLast()) == nil)
        #expect(SecretDigest(bytes: digest.bytes + [0]) == nil)
        #expect(SecretDigest(bytes: [UInt8]()) == nil)
        #expect(SecretDigest(of: "abd") != digest)
        // Differing only in the last byte, and only in the first.
        var last = digest.bytes
        last[31] ^= 1
        #expect(SecretDigest(bytes: last) != digest)
        var first = digest.bytes
        first[0] ^= 0x80
        #expect(SecretDigest(bytes: first) != digest)
    }

    @Test func digestsWorkAsDictionaryKeys() {
        var table: [SecretDigest: Int] = [:]
        for i in 0 ..< 2000 {
            table[SecretDigest(of: "secret-\(i)")] = i
        }
        #expect(table.count == 2000)
        #expect(table[SecretDigest(of: "secret-1234")] == 1234)
        #expect(table[SecretDigest(of: "secret-2000")] == nil)
    }
}
