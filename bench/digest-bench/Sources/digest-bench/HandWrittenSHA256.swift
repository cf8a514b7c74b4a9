// The hand-written SHA-256 Tessera used before swift-crypto (git 19a541c,
// Sources/TesseraCore/SHA256.swift), renamed, for this comparison only.
/// SHA-256 (FIPS 180-4), written out so the core needs no crypto package.
///
/// It runs on every authenticated request (a ~42-byte secret, one block), so
/// the state lives in eight local words, the message schedule and the padded
/// tail on the stack, and nothing is allocated but the returned array of
/// `hash(_:)` (`digest(of:)` allocates nothing).
enum HandWrittenSHA256 {
    /// The 32-byte digest of `bytes`.
    static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        state(of: bytes).bytes
    }

    /// The digest of a string's UTF-8 bytes, as a `SecretDigest`.
    static func digest(of text: String) -> SecretDigest {
        let state = text.utf8.withContiguousStorageIfAvailable { State(hashing: UnsafeRawBufferPointer($0)) }
            ?? Array(text.utf8).withUnsafeBytes { State(hashing: $0) }
        return state.digest
    }

    /// The digest of `bytes`, as a `SecretDigest`.
    static func digest(of bytes: some Collection<UInt8>) -> SecretDigest {
        state(of: bytes).digest
    }

    static func state(of bytes: some Collection<UInt8>) -> State {
        bytes.withContiguousStorageIfAvailable { State(hashing: UnsafeRawBufferPointer($0)) }
            ?? Array(bytes).withUnsafeBytes { State(hashing: $0) }
    }

    /// The round constants: the first 32 bits of the fractional parts of the
    /// cube roots of the first 64 primes.
    static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    /// The eight working words of the hash.
    struct State {
        var h0: UInt32 = 0x6a09_e667, h1: UInt32 = 0xbb67_ae85, h2: UInt32 = 0x3c6e_f372, h3: UInt32 = 0xa54f_f53a
        var h4: UInt32 = 0x510e_527f, h5: UInt32 = 0x9b05_688c, h6: UInt32 = 0x1f83_d9ab, h7: UInt32 = 0x5be0_cd19

        /// Hashes a whole message: its full blocks in place, then the padded
        /// tail (one or two blocks) from a 128-byte stack buffer.
        init(hashing message: UnsafeRawBufferPointer) {
            let count = message.count
            var state = State()
            HandWrittenSHA256.k.withUnsafeBufferPointer { k in
                let k = k.baseAddress!
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
                    let w = schedule.baseAddress!
                    var offset = 0
                    if let base = message.baseAddress {
                        while count - offset >= 64 {
                            state.compress(base + offset, w, k)
                            offset += 64
                        }
                    }
                    withUnsafeTemporaryAllocation(byteCount: 128, alignment: 8) { tail in
                        let remaining = count - offset
                        tail.initializeMemory(as: UInt8.self, repeating: 0)
                        if remaining > 0 {
                            tail.baseAddress!.copyMemory(from: message.baseAddress! + offset, byteCount: remaining)
                        }
                        tail[remaining] = 0x80
                        let blocks = remaining < 56 ? 1 : 2
                        let bitLength = UInt64(count) &* 8
                        for i in 0 ..< 8 {
                            tail[blocks * 64 - 1 - i] = UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(i)))
                        }
                        state.compress(tail.baseAddress!, w, k)
                        if blocks == 2 { state.compress(tail.baseAddress! + 64, w, k) }
                    }
                }
            }
            self = state
        }

        init() {}

        @inline(__always)
        mutating func compress(_ block: UnsafeRawPointer, _ w: UnsafeMutablePointer<UInt32>, _ k: UnsafePointer<UInt32>) {
            for t in 0 ..< 16 {
                w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: t * 4, as: UInt32.self))
            }
            for t in 16 ..< 64 {
                let w15 = w[t - 15], w2 = w[t - 2]
                let s0 = w15.rotatedRight(7) ^ w15.rotatedRight(18) ^ (w15 >> 3)
                let s1 = w2.rotatedRight(17) ^ w2.rotatedRight(19) ^ (w2 >> 10)
                w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
            }
            var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7
            // Eight rounds per pass with the roles of the words rotated, so no
            // round shuffles the eight working variables.
            var t = 0
            while t < 64 {
                round(a, b, c, &d, e, f, g, &h, k[t] &+ w[t])
                round(h, a, b, &c, d, e, f, &g, k[t + 1] &+ w[t + 1])
                round(g, h, a, &b, c, d, e, &f, k[t + 2] &+ w[t + 2])
                round(f, g, h, &a, b, c, d, &e, k[t + 3] &+ w[t + 3])
                round(e, f, g, &h, a, b, c, &d, k[t + 4] &+ w[t + 4])
                round(d, e, f, &g, h, a, b, &c, k[t + 5] &+ w[t + 5])
                round(c, d, e, &f, g, h, a, &b, k[t + 6] &+ w[t + 6])
                round(b, c, d, &e, f, g, h, &a, k[t + 7] &+ w[t + 7])
                t += 8
            }
            h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d
            h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= h
        }

        /// One round: `h` becomes the new `a` and `d` the new `e`; the
        /// caller renames the rest.
        @inline(__always)
        private func round(
            _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
            _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ kw: UInt32
        ) {
            let s1 = e.rotatedRight(6) ^ e.rotatedRight(11) ^ e.rotatedRight(25)
            let ch = (e & f) ^ (~e & g)
            let t1 = h &+ s1 &+ ch &+ kw
            let s0 = a.rotatedRight(2) ^ a.rotatedRight(13) ^ a.rotatedRight(22)
            let maj = (a & b) ^ (a & c) ^ (b & c)
            d &+= t1
            h = t1 &+ s0 &+ maj
        }

        var digest: SecretDigest {
            SecretDigest(
                UInt64(h0) << 32 | UInt64(h1), UInt64(h2) << 32 | UInt64(h3),
                UInt64(h4) << 32 | UInt64(h5), UInt64(h6) << 32 | UInt64(h7)
            )
        }

        var bytes: [UInt8] { digest.bytes }
    }
}

extension UnsafeMutablePointer<UInt8> {
    @inline(__always)
    func storeBigEndian(_ word: UInt64) {
        UnsafeMutableRawPointer(self).storeBytes(of: word.bigEndian, as: UInt64.self)
    }
}

extension UInt32 {
    @inline(__always)
    func rotatedRight(_ n: UInt32) -> UInt32 {
        (self >> n) | (self << (32 - n))
    }
}

