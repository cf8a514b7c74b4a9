#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Writes compact JSON straight into a byte buffer, for response bodies.
///
/// Callers emit tokens in order (`beginObject()`, `key(_:)`, `string(_:)`,
/// …, `endObject()`) and the writer inserts the commas: it only has to know
/// whether something was already written at the current level, which one flag
/// tracks (a value or a closed container sets it; an opening bracket or a key
/// clears it), so no stack is needed. The writer does not check that the
/// token sequence is well-formed; generated code produces it.
public struct JSONWriter: Sendable {
    /// The UTF-8 JSON text written so far.
    public private(set) var bytes: [UInt8]
    /// Whether the next key or value must be preceded by a comma.
    private var needsComma = false

    /// A writer whose buffer can hold `capacity` bytes before growing.
    public init(capacity: Int = 512) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The bytes written so far as text (mainly for tests and logs).
    public var string: String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Forgets what was written, keeping the buffer's capacity for reuse.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        needsComma = false
    }

    // MARK: - Containers

    /// Writes `{`, after a comma when a sibling precedes it.
    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Writes `}`.
    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Writes `[`, after a comma when a sibling precedes it.
    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// Writes `]`.
    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes an object member's name and the colon; the value comes next.
    public mutating func key(_ key: String) {
        separate()
        appendQuoted(key)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    // MARK: - Scalars

    /// A JSON string: `"`, `\` and control characters escaped, everything
    /// else (including `/` and non-ASCII) as its UTF-8 bytes.
    public mutating func string(_ value: String) {
        separate()
        appendQuoted(value)
        needsComma = true
    }

    /// `true` or `false`.
    public mutating func bool(_ value: Bool) {
        separate()
        if value {
            bytes.append(contentsOf: [UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "u"), UInt8(ascii: "e")])
        } else {
            bytes.append(contentsOf: [UInt8(ascii: "f"), UInt8(ascii: "a"), UInt8(ascii: "l"), UInt8(ascii: "s"), UInt8(ascii: "e")])
        }
        needsComma = true
    }

    /// `null`.
    public mutating func null() {
        separate()
        appendNullLiteral()
        needsComma = true
    }

    /// An integer in decimal.
    public mutating func int(_ value: Int) {
        separate()
        appendInteger(value)
        needsComma = true
    }

    /// Any integer type (`Int32`, `Int64`, `UInt8`, …) in decimal.
    public mutating func int<T: BinaryInteger>(_ value: T) {
        separate()
        if let small = Int(exactly: value) {
            appendInteger(small)
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
        needsComma = true
    }

    /// The shortest text that reads back as `value` (Swift's `description`,
    /// e.g. `1.0`, `0.1`, `1e+100`); `null` for NaN and infinities, which JSON
    /// cannot express.
    public mutating func double(_ value: Double) {
        separate()
        if value.isFinite {
            bytes.append(contentsOf: value.description.utf8)
        } else {
            appendNullLiteral()
        }
        needsComma = true
    }

    /// Like `double(_:)`, with `Float`'s own shortest text (`0.1`, not
    /// `0.10000000149011612`).
    public mutating func float(_ value: Float) {
        separate()
        if value.isFinite {
            bytes.append(contentsOf: value.description.utf8)
        } else {
            appendNullLiteral()
        }
        needsComma = true
    }

    /// A number as its literal text; `null` when the literal is not a finite
    /// number (`JSONNumber(Double.nan)`).
    public mutating func number(_ value: JSONNumber) {
        separate()
        let literal = value.literal.utf8
        var iterator = literal.makeIterator()
        let first = iterator.next()
        let second = first == UInt8(ascii: "-") ? iterator.next() : first
        if let second, second &- UInt8(ascii: "0") < 10 {
            bytes.append(contentsOf: literal)
        } else {
            appendNullLiteral()
        }
        needsComma = true
    }

    /// A UUID in lowercase canonical form (36 characters).
    public mutating func uuid(_ value: UUID) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        UUIDText.write(value, into: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// An RFC 3339 UTC date-time: `2022-01-23T04:56:07Z`, or `…07.5Z` when
    /// the date has a sub-second part (up to 6 digits, trailing zeros trimmed).
    public mutating func date(_ value: Date) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        RFC3339.write(value, into: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Any JSON value, numbers as their literal text and objects in order.
    public mutating func raw(_ json: JSON) {
        switch json {
        case .null:
            null()
        case .bool(let value):
            bool(value)
        case .number(let value):
            number(value)
        case .string(let value):
            string(value)
        case .array(let elements):
            beginArray()
            for element in elements { raw(element) }
            endArray()
        case .object(let object):
            beginObject()
            for entry in object.entries {
                key(entry.key)
                raw(entry.value)
            }
            endObject()
        }
    }

    // MARK: - Bytes

    @inline(__always)
    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func appendNullLiteral() {
        bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
    }

    private mutating func appendInteger(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits = 1
        var probe = magnitude
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        var position = start + digits - 1
        while magnitude >= 10 {
            bytes[position] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
            position -= 1
        }
        bytes[position] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude)
    }

    /// Writes `"text"` with RFC 8259 escaping, copying unescaped runs whole.
    private mutating func appendQuoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") { continue }
                if runStart < index {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                }
                appendEscape(byte)
                runStart = index + 1
            }
            if runStart < utf8.count {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                      hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
        }
    }
}
