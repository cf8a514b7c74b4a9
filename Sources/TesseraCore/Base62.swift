/// Base62 with the alphabet `0-9A-Za-z`, most significant digit first.
public enum Base62 {
    public static let alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

    static let digits: [UInt8] = Array(alphabet.utf8)

    /// The value of each byte as a base62 digit, 0xFF if it is not one.
    static let values: [UInt8] = {
        var values = [UInt8](repeating: 0xFF, count: 256)
        for (value, digit) in digits.enumerated() {
            values[Int(digit)] = UInt8(value)
        }
        return values
    }()

    /// `value` in base62, left-padded with `0` to `width` characters (never
    /// truncated: a value needing more digits gets them; `UInt32.max` needs 6).
    public static func encode(_ value: UInt32, width: Int) -> String {
        var needed = 1
        var rest = value / 62
        while rest > 0 {
            needed += 1
            rest /= 62
        }
        let count = max(width, needed)
        return String(unsafeUninitializedCapacity: count) { buffer in
            write(value, into: buffer)
            return count
        }
    }

    /// Writes `value` right-aligned into `buffer`, padding with `0`; the
    /// buffer must be wide enough.
    static func write(_ value: UInt32, into buffer: UnsafeMutableBufferPointer<UInt8>) {
        digits.withUnsafeBufferPointer { digits in
            var value = value
            var i = buffer.count
            while i > 0 {
                i -= 1
                buffer[i] = digits[Int(value % 62)]
                value /= 62
            }
        }
    }

    /// The value of a base62 string of 1 to 10 digits, or nil.
    public static func decode(_ text: some StringProtocol) -> UInt64? {
        var result: UInt64 = 0
        var count = 0
        for byte in text.utf8 {
            let value = values[Int(byte)]
            guard value != 0xFF, count < 10 else { return nil }
            result = result * 62 + UInt64(value)
            count += 1
        }
        return count > 0 ? result : nil
    }
}
