import TestSupport
import Testing
@testable import TesseraCore

@Suite struct CRC32Tests {
    /// Expected values from Python's `zlib.crc32`.
    @Test(arguments: [
        ("123456789", UInt32(0xCBF4_3926)),
        ("", UInt32(0)),
        ("The quick brown fox jumps over the lazy dog", UInt32(0x414F_A339)),
        ("tsp_" + String(repeating: "a", count: 32), UInt32(0xE972_56F7)),
    ])
    func knownValues(text: String, expected: UInt32) {
        #expect(CRC32.checksum(Array(text.utf8)) == expected)
        #expect(CRC32.checksum(text.utf8) == expected)
        #expect(CRC32.checksum(Array(text.utf8).lazy.map { $0 }) == expected)
    }

    @Test func allByteValues() {
        #expect(CRC32.checksum((0 ... 255).map { UInt8($0) }) == 0x2905_8C73)
    }
}

@Suite struct Base62Tests {
    @Test func alphabetIsDigitsUpperLower() {
        #expect(Base62.alphabet == "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        #expect(Base62.alphabet.count == 62)
        #expect(Set(Base62.alphabet).count == 62)
    }

    @Test func encodesMostSignificantFirstAndPads() {
        #expect(Base62.encode(0, width: 6) == "000000")
        #expect(Base62.encode(61, width: 6) == "00000z")
        #expect(Base62.encode(62, width: 6) == "000010")
        #expect(Base62.encode(3844, width: 6) == "000100")
        #expect(Base62.encode(UInt32.max, width: 6) == "4gfFC3")
        #expect(Base62.encode(10, width: 1) == "A")
        #expect(Base62.encode(36, width: 2) == "0a")
        // Never truncated.
        #expect(Base62.encode(UInt32.max, width: 2) == "4gfFC3")
        #expect(Base62.encode(0, width: 0) == "0")
    }

    @Test func decodeInvertsEncode() {
        for value: UInt32 in [0, 1, 61, 62, 12345, 0xCBF4_3926, UInt32.max] {
            #expect(Base62.decode(Base62.encode(value, width: 6)) == UInt64(value))
        }
        #expect(Base62.decode("") == nil)
        #expect(Base62.decode("ab-") == nil)
    }

    /// Fixed-width encodings sort (bytewise) like their values.
    @Test func orderingFollowsValue() {
        var values: [UInt32] = [0, 1, 9, 10, 35, 36, 61, 62, 63, 3843, 3844, 1 << 20, 1 << 31, UInt32.max]
        var rng = SeededGenerator(seed: 7)
        for _ in 0 ..< 500 { values.append(UInt32(truncatingIfNeeded: rng.next())) }
        let sorted = values.sorted()
        let encoded = sorted.map { Base62.encode($0, width: 6) }
        #expect(encoded.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) } == encoded.map { Array($0.utf8) })
        for (a, b) in zip(sorted, sorted.dropFirst()) where a < b {
            #expect(Array(Base62.encode(a, width: 6).utf8).lexicographicallyPrecedes(Array(Base62.encode(b, width: 6).utf8)))
        }
    }
}

@Suite struct ConstantTimeEqualsTests {
    @Test func comparesBytes() {
        #expect(constantTimeEquals([UInt8](), [UInt8]()))
        #expect(constantTimeEquals([1, 2, 3] as [UInt8], [1, 2, 3] as [UInt8]))
        #expect(!constantTimeEquals([1, 2, 3] as [UInt8], [1, 2, 4] as [UInt8]))
        #expect(!constantTimeEquals([1, 2, 3] as [UInt8], [0, 2, 3] as [UInt8]))
        #expect(!constantTimeEquals([1, 2, 3] as [UInt8], [1, 2] as [UInt8]))
        #expect(!constantTimeEquals([UInt8](), [0] as [UInt8]))
        #expect(constantTimeEquals("abc".utf8, [97, 98, 99] as [UInt8]))
        #expect(!constantTimeEquals("abc".utf8, "abC".utf8))
    }
}
