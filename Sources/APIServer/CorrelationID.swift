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

    /// A new random id.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let hex = Array("0123456789abcdef".utf8)
        var bytes = [UInt8](repeating: 0, count: 32)
        var index = 0
        for _ in 0..<2 {
            var value = generator.next()
            for _ in 0..<16 {
                bytes[index] = hex[Int(value & 0xF)]
                value >>= 4
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
