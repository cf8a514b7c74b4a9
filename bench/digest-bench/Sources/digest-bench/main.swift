// Hashes N distinct 42-character secrets (the shape of a Tessera secret)
// with each implementation, in interleaved rounds, and prints the median
// nanoseconds per secret and their ratio. Both produce the same four
// words Tessera's SecretDigest holds; the results are checked equal.
import Crypto
import Foundation

struct SecretDigest: Hashable {
    let w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64
    init(_ w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64) {
        (self.w0, self.w1, self.w2, self.w3) = (w0, w1, w2, w3)
    }
    var bytes: [UInt8] {
        [w0, w1, w2, w3].flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> (56 - 8 * UInt64($0))) } }
    }
}

/// Exactly as Tessera's `SecretDigest(of:)` (Sources/TesseraCore/SecretDigest.swift).
@inline(never)
func swiftCrypto(_ text: String) -> SecretDigest {
    var text = text
    return text.withUTF8 { buffer in
        var hasher = Crypto.SHA256()
        hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
        return hasher.finalize().withUnsafeBytes { digest in
            SecretDigest(UInt64(bigEndian: digest.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                         UInt64(bigEndian: digest.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                         UInt64(bigEndian: digest.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
                         UInt64(bigEndian: digest.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
        }
    }
}

@inline(never)
func handWritten(_ text: String) -> SecretDigest { HandWrittenSHA256.digest(of: text) }

let count = Int(ProcessInfo.processInfo.environment["SECRETS"] ?? "") ?? 200_000
let rounds = Int(ProcessInfo.processInfo.environment["ROUNDS"] ?? "") ?? 7
let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
var rng = SystemRandomNumberGenerator()
let secrets: [String] = (0..<count).map { _ in "tsp_" + String((0..<38).map { _ in alphabet[Int.random(in: 0..<62, using: &rng)] }) }
for secret in secrets.prefix(1000) where swiftCrypto(secret) != handWritten(secret) {
    fatalError("the implementations disagree on \(secret)")
}

func time(_ hash: (String) -> SecretDigest) -> Double {
    var sink: UInt64 = 0
    let start = ContinuousClock.now
    for secret in secrets { sink ^= hash(secret).w3 }
    let elapsed = ContinuousClock.now - start
    if sink == 42 { print("") }  // keeps the work observable
    let (seconds, attoseconds) = elapsed.components
    return (Double(seconds) * 1e9 + Double(attoseconds) / 1e9) / Double(count)
}

var crypto: [Double] = []
var hand: [Double] = []
for round in 0..<rounds {
    if round.isMultiple(of: 2) {
        crypto.append(time(swiftCrypto)); hand.append(time(handWritten))
    } else {
        hand.append(time(handWritten)); crypto.append(time(swiftCrypto))
    }
}
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
let c = median(crypto), h = median(hand)
print("| SHA-256 of a 42-character secret | ns per secret (median of \(rounds) rounds × \(count)) |")
print("|---|---:|")
print(String(format: "| swift-crypto (Crypto.SHA256, BoringSSL) | %.1f |", c))
print(String(format: "| hand-written (before issue 17) | %.1f |", h))
print(String(format: "| ratio swift-crypto / hand-written | %.2f |", c / h))
