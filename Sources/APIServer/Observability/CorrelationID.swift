import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The request id every response carries in `X-Correlation-ID` and the
/// error body repeats: 32 lowercase hexadecimal characters.
public enum CorrelationID {
    /// The incoming header's value when it is well-formed, else nil.
    public static func validated(_ value: String?) -> String? {
        guard let value, value.utf8.count == 32 else { return nil }
        let valid = value.utf8.allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
        }
        return valid ? value : nil
    }

    /// A new random id: 128 bits from the system CSPRNG, drawn from a pool
    /// refilled 256 bytes at a time, so most requests cost no system call.
    public static func make() -> String {
        let (high, low) = pool.withLock { $0.next() }
        return String(unsafeUninitializedCapacity: 32) { buffer in
            func write(_ word: UInt64, at start: Int) {
                var value = word
                for index in start..<start + 16 {
                    buffer[index] = hexDigits[Int(value & 0xF)]
                    value >>= 4
                }
            }
            write(high, at: 0)
            write(low, at: 16)
            return 32
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
    private static let pool = Mutex(RandomPool())

    /// Random 64-bit words from the system generator, fetched in bulk.
    struct RandomPool {
        private var words: [UInt64] = []
        private var position = 0

        mutating func next() -> (UInt64, UInt64) {
            if position + 2 > words.count {
                words = Self.fetch(count: 32)
                position = 0
            }
            defer { position += 2 }
            return (words[position], words[position + 1])
        }

        /// One getentropy(3) call (at most 256 bytes) for the whole batch;
        /// the stdlib generator makes one system call per word.
        private static func fetch(count: Int) -> [UInt64] {
            var words = [UInt64](repeating: 0, count: count)
            #if canImport(Glibc)
            let status = words.withUnsafeMutableBytes { getentropy($0.baseAddress!, $0.count) }
            if status == 0 { return words }
            #endif
            var generator = SystemRandomNumberGenerator()
            return words.map { _ in generator.next() }
        }
    }
}
