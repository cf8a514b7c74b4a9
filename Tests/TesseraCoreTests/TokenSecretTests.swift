import Testing
@testable import TesseraCore
import TestSupport

/// `printf %s tss_0123456789abcdefghijABCDEFGHIJkl1XeIbM | sha256sum`
let sha256OfFixed = "16597d005b3f56150694239f5882416b1e58bc9758d56bcba012f949c795ff90"

let base62Characters = Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

/// Well-formed by the rule, checked here without the library's parser.
func isWellFormed(_ text: String, kind: TokenKind) -> Bool {
    let characters = Array(text)
    guard characters.count == 42, text.hasPrefix(kind.rawValue + "_") else { return false }
    return characters[4...].allSatisfy { base62Characters.contains($0) }
        && String(characters[36...]) == Base62.encode(CRC32.checksum(Array(text.utf8.prefix(36))), width: 6)
}

@Suite struct TokenSecretTests {
    @Test func seedReference() {
        // Reference output of SplitMix64 seeded with 0.
        var rng = SeededGenerator(seed: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
    }

    /// Known answers from an independent Python script: SplitMix64, the same
    /// byte-rejection rule, `zlib.crc32` and base62 `0-9A-Za-z`, padded to 6.
    @Test func fixedSeedGivesAKnownSecret() {
        var rng = SeededGenerator(seed: 42)
        #expect(TokenSecret.generate(.personal, using: &rng).text == "tsp_PmnlcoT33tespfreKZFJPfK9OfCEdSQu38WRfD")
        #expect(TokenSecret.generate(.service, using: &rng).text == "tss_6X4yn6aVlt7SfltelYYqryIR1zBvy5Po0IIqOd")
        #expect(TokenSecret.generate(.access, using: &rng).text == "tsa_5PTvCqsq4IM7EEq2i803Dpl7xlp9rRV92okDjc")
        var zero = SeededGenerator(seed: 0)
        #expect(TokenSecret.generate(.personal, using: &zero).text == "tsp_pJTzviWewdzbiYwmH794OVA6o5EqiyFV43bqYL")
    }

    /// A hand-chosen body whose checksum Python computed.
    @Test func checksumRuleMatchesZlib() throws {
        let secret = try #require(TokenSecret(parsing: "tss_0123456789abcdefghijABCDEFGHIJkl1XeIbM"))
        #expect(secret.kind == .service)
        #expect(TokenSecret(parsing: "tss_0123456789abcdefghijABCDEFGHIJkl1XeIbN") == nil)
    }

    @Test(arguments: TokenKind.allCases)
    func generatedSecretsParseBack(kind: TokenKind) throws {
        for _ in 0 ..< 50 {
            let secret = TokenSecret.generate(kind)
            #expect(secret.kind == kind)
            #expect(secret.text.utf8.count == 42)
            #expect(isWellFormed(secret.text, kind: kind))
            let parsed = try #require(TokenSecret(parsing: secret.text))
            #expect(parsed == secret)
            #expect(parsed.kind == kind)
            #expect(parsed.text == secret.text)
            // A substring parses too.
            let padded = " \(secret.text) "
            #expect(TokenSecret(parsing: padded.dropFirst().dropLast()) == secret)
        }
    }

    @Test func thousandSecretsAreDistinctAndWellFormed() {
        var seen = Set<String>()
        var randomParts = Set<Substring>()
        for i in 0 ..< 1000 {
            let kind = TokenKind.allCases[i % 3]
            let secret = TokenSecret.generate(kind)
            #expect(isWellFormed(secret.text, kind: kind), "\(secret)")
            #expect(secret.text.dropFirst(4).allSatisfy { base62Characters.contains($0) })
            seen.insert(secret.text)
            randomParts.insert(secret.text.dropFirst(4).prefix(32))
        }
        #expect(seen.count == 1000)
        #expect(randomParts.count == 1000)
    }

    /// Every character value appears and none dominates (a loose check of
    /// uniformity over 32,000 characters: ~516 expected each).
    @Test func randomCharactersCoverTheAlphabet() {
        var counts: [Character: Int] = [:]
        for _ in 0 ..< 1000 {
            for character in TokenSecret.generate(.service).text.dropFirst(4).prefix(32) {
                counts[character, default: 0] += 1
            }
        }
        #expect(counts.count == 62)
        #expect(counts.values.allSatisfy { $0 > 350 && $0 < 700 })
    }

    @Test func rejectsMalformedSecrets() {
        let valid = TokenSecret.generate(.personal).text
        let body = String(valid.prefix(36))
        #expect(TokenSecret(parsing: valid) != nil)
        let tail3 = String(valid.dropFirst(3)), tail4 = String(valid.dropFirst(4))
        let checksumOfBody = Base62.encode(CRC32.checksum(Array(body.utf8)), width: 6)
        var rejected: [String] = ["", "tsp_"]
        rejected.append("tsx" + tail3)  // unknown prefix
        rejected.append("TSP" + tail3)  // prefixes are lowercase
        rejected.append("ghp" + tail3)
        rejected.append("tsp-" + tail4)  // no underscore
        rejected.append("tsp" + tail4 + "A")  // underscore missing, length kept
        rejected.append(String(valid.dropLast()))  // 41
        rejected.append(valid + "0")  // 43
        rejected.append(body + "0" + checksumOfBody)  // 43, with the checksum of the first 36
        rejected.append(" " + valid)
        rejected.append(valid + " ")
        rejected.append(valid + "\n")
        rejected.append("\t" + String(valid.dropFirst()))
        rejected.append("Bearer " + valid)
        // Kinds must agree with the checksum: a valid secret re-prefixed fails.
        rejected.append("tss" + tail3)
        rejected.append("tsa" + tail3)
        // A non-base62 character in the body, with a checksum that matches it.
        for character in ["-", "_", "+", "/", "=", ".", " ", "\0", "é"] {
            let bad = String(body.dropLast()) + character
            rejected.append(bad + Base62.encode(CRC32.checksum(Array(bad.utf8)), width: 6))
        }
        // Unicode look-alikes: Cyrillic/Greek/fullwidth letters and digits.
        for (ascii, lookalike) in [("a", "а"), ("o", "о"), ("p", "р"), ("A", "Α"), ("0", "０"), ("1", "１"), ("s", "ѕ")] {
            if let index = valid.dropFirst(4).firstIndex(of: Character(ascii)) {
                rejected.append(String(valid[..<index]) + lookalike + String(valid[valid.index(after: index)...]))
            }
            rejected.append(String(valid.dropLast()) + lookalike)
            rejected.append(lookalike + String(valid.dropFirst()))
        }
        rejected.append("tѕp" + tail3)
        rejected.append(String(valid.prefix(20)) + "\u{200B}" + String(valid.dropFirst(21)))  // zero-width space
        rejected.append(String(valid.prefix(20)) + "e\u{301}" + String(valid.dropFirst(23)))  // combining accent, 42 UTF-8 bytes
        // Two-byte look-alikes in place of two characters: 42 UTF-8 bytes, 41 characters.
        for lookalike in ["а", "о", "Α", "ß"] {
            rejected.append(String(valid.prefix(10)) + lookalike + String(valid.dropFirst(12)))
            rejected.append(String(valid.dropLast(2)) + lookalike)
        }
        for text in rejected {
            #expect(TokenSecret(parsing: text) == nil, "\(text.debugDescription)")
        }
    }

    /// Every single-character substitution anywhere (prefix, underscore,
    /// body or checksum) is refused; CRC32 detects every one-byte change.
    @Test func everySingleCharacterChangeIsRefused() {
        var rng = SeededGenerator(seed: 99)
        for kind in TokenKind.allCases {
            let valid = Array(TokenSecret.generate(kind, using: &rng).text.utf8)
            for position in 0 ..< valid.count {
                for replacement in Array(Base62.alphabet.utf8) + [UInt8(ascii: "_"), UInt8(ascii: "-")] where replacement != valid[position] {
                    var changed = valid
                    changed[position] = replacement
                    let text = String(decoding: changed, as: UTF8.self)
                    #expect(TokenSecret(parsing: text) == nil, "\(position): \(replacement)")
                }
            }
            // Swapping two different neighbouring characters is refused too.
            for position in 4 ..< valid.count - 1 where valid[position] != valid[position + 1] {
                var swapped = valid
                swapped.swapAt(position, position + 1)
                #expect(TokenSecret(parsing: String(decoding: swapped, as: UTF8.self)) == nil)
            }
        }
    }

    @Test func descriptionNeverRevealsTheSecret() {
        for kind in TokenKind.allCases {
            let secret = TokenSecret.generate(kind)
            let random = String(secret.text.dropFirst(4).prefix(32))
            let texts = [
                secret.description,
                String(describing: secret),
                "\(secret)",
                String(reflecting: secret),
                "\([secret])",
                "\(Optional(secret) as Any)",
                { var out = ""; dump(secret, to: &out); return out }(),
            ]
            for text in texts {
                #expect(!text.contains(random), "\(text)")
                #expect(!text.contains(secret.text))
                // Not even a fragment of the random part.
                #expect(!text.contains(random.prefix(8)))
                #expect(!text.contains(random.suffix(8)))
            }
            #expect(secret.description == "\(kind.rawValue)_…\(secret.preview)")
        }
    }

    @Test func previewIsTheLastFiveCharacters() {
        let secret = TokenSecret(parsing: "tss_0123456789abcdefghijABCDEFGHIJkl1XeIbM")!
        #expect(secret.preview == "XeIbM")
        for _ in 0 ..< 20 {
            let generated = TokenSecret.generate(.access)
            #expect(generated.preview == String(generated.text.suffix(5)))
            #expect(generated.preview.count == 5)
        }
    }

    @Test func digestIsTheSHA256OfTheText() {
        let secret = TokenSecret.generate(.personal)
        #expect(secret.digest == SecretDigest(of: secret.text))
        #expect(secret.digest.bytes == SecretDigest(of: Array(secret.text.utf8)).bytes)
        #expect(TokenSecret(parsing: secret.text)!.digest == secret.digest)
        #expect(TokenSecret.generate(.personal).digest != secret.digest)
        // The fixed secret's digest, from `printf %s … | sha256sum`.
        let fixed = TokenSecret(parsing: "tss_0123456789abcdefghijABCDEFGHIJkl1XeIbM")!
        #expect(fixed.digest.hex == sha256OfFixed)
    }

    @Test func equalityComparesTheWholeSecret() {
        let a = TokenSecret.generate(.personal)
        let b = TokenSecret(parsing: a.text)!
        #expect(a == b)
        #expect(a != TokenSecret.generate(.personal))
    }
}
