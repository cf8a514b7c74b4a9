#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The canonical `8-4-4-4-12` text form of a UUID, by hand.
///
/// Ids are lowercase everywhere in the API; Foundation's `uuidString` is
/// uppercase and its parser is lenient, so both directions live here.
public enum UUIDText {
    /// Where the hyphens go in the 36-character form.
    private static func isHyphenPosition(_ index: Int) -> Bool {
        index == 8 || index == 13 || index == 18 || index == 23
    }

    /// Parses exactly 36 characters: hex digits (either case) with hyphens at
    /// 8, 13, 18 and 23.
    public static func parse(_ text: some StringProtocol) -> UUID? {
        text.withUTF8Buffer { parse(bytes: $0) }
    }

    static func parse(bytes: UnsafeBufferPointer<UInt8>) -> UUID? {
        guard bytes.count == 36 else { return nil }
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let valid = withUnsafeMutableBytes(of: &raw) { out -> Bool in
            var byteIndex = 0
            var index = 0
            while index < 36 {
                if isHyphenPosition(index) {
                    guard bytes[index] == UInt8(ascii: "-") else { return false }
                    index += 1
                    continue
                }
                guard let high = nibble(bytes[index]), let low = nibble(bytes[index + 1]) else { return false }
                out[byteIndex] = high << 4 | low
                byteIndex += 1
                index += 2
            }
            return true
        }
        return valid ? UUID(uuid: raw) : nil
    }

    /// Appends the lowercase 36-character form.
    static func write(_ uuid: UUID, into bytes: inout [UInt8]) {
        // Fill a stack buffer and append it once: one capacity check, not 36.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 36) { text in
            withUnsafeBytes(of: uuid.uuid) { raw in
                var position = 0
                for index in 0..<16 {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    let byte = raw[index]
                    text[position] = hexDigit(byte >> 4)
                    text[position + 1] = hexDigit(byte & 0x0F)
                    position += 2
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(text))
        }
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") - 10 + nibble
    }

    /// The lowercase 36-character form.
    public static func string(_ uuid: UUID) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(36)
        write(uuid, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    @inline(__always)
    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
