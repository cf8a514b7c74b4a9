/// A strict RFC 8259 parser working directly on UTF-8 bytes.
///
/// It is a recursive-descent parser bounded by `maximumDepth`, so hostile
/// bodies cannot exhaust the stack. Positions are only turned into lines and
/// columns when an error is reported, keeping the happy path a plain scan.
struct JSONParser {
    /// Deepest nesting of arrays and objects a document may have.
    static let maximumDepth = 64
    /// Objects with more members than this check duplicates with a set
    /// instead of a linear scan, so big hostile objects stay linear.
    private static let linearDuplicateScanLimit = 16

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0
    /// Reused buffer for strings that contain escapes.
    private var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses the whole input as one JSON value surrounded by optional whitespace.
    mutating func parseDocument() throws(JSONSyntaxError) -> JSON {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            throw error("byte order mark is not allowed", at: 0)
        }
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if index < bytes.count { throw unexpected(at: index) }
        return value
    }

    // MARK: - Values

    private mutating func parseValue() throws(JSONSyntaxError) -> JSON {
        guard index < bytes.count else { throw endOfInput() }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            return try parseObject()
        case UInt8(ascii: "["):
            return try parseArray()
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        default:
            throw unexpected(at: index)
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let count = literal.utf8CodeUnitCount
        let expected = literal.utf8Start
        for offset in 0..<count {
            guard index < bytes.count else { throw endOfInput() }
            guard bytes[index] == expected[offset] else { throw unexpected(at: index) }
            index += 1
        }
    }

    private mutating func parseArray() throws(JSONSyntaxError) -> JSON {
        try enterContainer()
        index += 1
        skipWhitespace()
        var elements: [JSON] = []
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        elements.reserveCapacity(4)
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw endOfInput() }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return .array(elements)
            default:
                throw unexpected(at: index)
            }
        }
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> JSON {
        try enterContainer()
        index += 1
        skipWhitespace()
        var entries: [(key: String, value: JSON)] = []
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(JSONObject(entries))
        }
        // Most request objects are small: one allocation instead of 1, 2, 4, 8.
        entries.reserveCapacity(8)
        var seen: Set<String> = []
        while true {
            guard index < bytes.count else { throw endOfInput() }
            guard bytes[index] == UInt8(ascii: "\"") else { throw unexpected(at: index) }
            let keyOffset = index
            let key = try parseString()
            if isDuplicate(key, in: entries, seen: &seen) {
                throw error("duplicate key '\(key)'", at: keyOffset)
            }
            skipWhitespace()
            guard index < bytes.count else { throw endOfInput() }
            guard bytes[index] == UInt8(ascii: ":") else { throw unexpected(at: index) }
            index += 1
            skipWhitespace()
            entries.append((key: key, value: try parseValue()))
            skipWhitespace()
            guard index < bytes.count else { throw endOfInput() }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return .object(JSONObject(entries))
            default:
                throw unexpected(at: index)
            }
        }
    }

    private func isDuplicate(
        _ key: String, in entries: [(key: String, value: JSON)], seen: inout Set<String>
    ) -> Bool {
        if entries.count < Self.linearDuplicateScanLimit {
            for entry in entries where entry.key == key { return true }
            return false
        }
        if seen.isEmpty {
            seen.reserveCapacity(entries.count * 2)
            for entry in entries { seen.insert(entry.key) }
        }
        return !seen.insert(key).inserted
    }

    private mutating func enterContainer() throws(JSONSyntaxError) {
        depth += 1
        if depth > Self.maximumDepth {
            throw error("nesting is deeper than \(Self.maximumDepth) levels", at: index)
        }
    }

    // MARK: - Numbers

    private mutating func parseNumber() throws(JSONSyntaxError) -> JSONNumber {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        try expectDigit()
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if isDigit(at: index) { throw error("leading zeros are not allowed", at: start) }
        } else {
            while isDigit(at: index) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            try expectDigit()
            while isDigit(at: index) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            try expectDigit()
            while isDigit(at: index) { index += 1 }
        }
        let literal = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        return JSONNumber(uncheckedLiteral: literal)
    }

    private func expectDigit() throws(JSONSyntaxError) {
        guard index < bytes.count else { throw endOfInput() }
        guard isDigit(at: index) else { throw unexpected(at: index) }
    }

    @inline(__always)
    private func isDigit(at position: Int) -> Bool {
        position < bytes.count && bytes[position] &- UInt8(ascii: "0") < 10
    }

    // MARK: - Strings

    /// Parses the string whose opening quote is at `index`.
    private mutating func parseString() throws(JSONSyntaxError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes, so the string is a slice of the input.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            } else if byte == UInt8(ascii: "\\") {
                return try parseEscapedString(from: start)
            } else if byte < 0x20 {
                throw controlCharacter(at: index)
            } else if byte < 0x80 {
                index += 1
            } else {
                index += try validUTF8SequenceLength(at: index)
            }
        }
        throw error("unexpected end of input in a string", at: bytes.count)
    }

    /// The slow path: copies the string into `scratch`, resolving escapes.
    private mutating func parseEscapedString(from start: Int) throws(JSONSyntaxError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: scratch, as: UTF8.self)
            } else if byte == UInt8(ascii: "\\") {
                try parseEscape()
            } else if byte < 0x20 {
                throw controlCharacter(at: index)
            } else if byte < 0x80 {
                scratch.append(byte)
                index += 1
            } else {
                let length = try validUTF8SequenceLength(at: index)
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<index + length]))
                index += length
            }
        }
        throw error("unexpected end of input in a string", at: bytes.count)
    }

    /// Resolves the escape whose backslash is at `index` into `scratch`.
    private mutating func parseEscape() throws(JSONSyntaxError) {
        let escapeStart = index
        guard index + 1 < bytes.count else { throw error("unexpected end of input in a string", at: bytes.count) }
        let letter = bytes[index + 1]
        index += 2
        switch letter {
        case UInt8(ascii: "\""): scratch.append(0x22)
        case UInt8(ascii: "\\"): scratch.append(0x5C)
        case UInt8(ascii: "/"): scratch.append(0x2F)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try hexUnit(escapeStart: escapeStart)
            var scalarValue = UInt32(unit)
            if (0xD800...0xDBFF).contains(unit) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                      bytes[index + 1] == UInt8(ascii: "u")
                else { throw error("lone surrogate \\u\(hex4(unit))", at: escapeStart) }
                let lowStart = index
                index += 2
                let low = try hexUnit(escapeStart: lowStart)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw error("lone surrogate \\u\(hex4(unit))", at: escapeStart)
                }
                scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw error("lone surrogate \\u\(hex4(unit))", at: escapeStart)
            }
            appendUTF8(scalarValue)
        default:
            if letter > 0x20 && letter < 0x7F {
                throw error("invalid escape sequence '\\\(Character(Unicode.Scalar(letter)))'", at: escapeStart)
            }
            throw error("invalid escape sequence", at: escapeStart)
        }
    }

    /// Reads the four hex digits after `\u` (at `index`).
    private mutating func hexUnit(escapeStart: Int) throws(JSONSyntaxError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw error("unexpected end of input in a string", at: bytes.count) }
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid \\u escape: expected 4 hex digits", at: escapeStart)
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    private mutating func appendUTF8(_ value: UInt32) {
        switch value {
        case ..<0x80:
            scratch.append(UInt8(value))
        case ..<0x800:
            scratch.append(UInt8(0xC0 | value >> 6))
            scratch.append(UInt8(0x80 | value & 0x3F))
        case ..<0x10000:
            scratch.append(UInt8(0xE0 | value >> 12))
            scratch.append(UInt8(0x80 | value >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | value & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | value >> 18))
            scratch.append(UInt8(0x80 | value >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | value >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | value & 0x3F))
        }
    }

    /// The length of the well-formed multi-byte UTF-8 sequence at `position`
    /// (Unicode Table 3-7: no overlong forms, no surrogates, at most U+10FFFF).
    private func validUTF8SequenceLength(at position: Int) throws(JSONSyntaxError) -> Int {
        switch Self.checkUTF8(bytes, at: position) {
        case .valid(let length):
            return length
        case .invalid(let offset):
            if offset >= bytes.count { throw error("unexpected end of input in a string", at: bytes.count) }
            throw error("invalid UTF-8 byte 0x\(Self.hex2(bytes[offset]))", at: offset)
        }
    }

    enum UTF8Check {
        case valid(length: Int)
        /// The offset of the first byte that breaks the sequence (the input's
        /// length when the sequence is cut short).
        case invalid(at: Int)
    }

    /// Checks the sequence that starts with the non-ASCII byte at `position`.
    static func checkUTF8(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> UTF8Check {
        let lead = bytes[position]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return .invalid(at: position)
        }
        for i in position + 1..<position + length {
            guard i < bytes.count else { return .invalid(at: bytes.count) }
            let byte = bytes[i]
            guard byte >= low && byte <= high else { return .invalid(at: i) }
            low = 0x80
            high = 0xBF
        }
        return .valid(length: length)
    }

    // MARK: - Whitespace

    @inline(__always)
    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    // MARK: - Errors

    private func endOfInput() -> JSONSyntaxError {
        error("unexpected end of input", at: bytes.count)
    }

    private func controlCharacter(at position: Int) -> JSONSyntaxError {
        error("unescaped control character U+00\(Self.hex2(bytes[position])) in a string", at: position)
    }

    private func unexpected(at position: Int) -> JSONSyntaxError {
        let byte = bytes[position]
        if byte < 0x80 {
            return error("unexpected character \(Self.display(byte))", at: position)
        }
        if case .valid(let length) = Self.checkUTF8(bytes, at: position) {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<position + length]), as: UTF8.self)
            return error("unexpected character '\(text)'", at: position)
        }
        return error("invalid UTF-8 byte 0x\(Self.hex2(byte))", at: position)
    }

    /// An error at `offset`, with its line and column worked out now (only
    /// errors pay for it).
    private func error(_ reason: String, at offset: Int) -> JSONSyntaxError {
        var line = 1
        var column = 1
        var i = 0
        let end = min(offset, bytes.count)
        while i < end {
            let byte = bytes[i]
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte == 0x0D {
                if i + 1 < bytes.count, bytes[i + 1] == 0x0A {
                    // The `\n` of a `\r\n` pair ends the line.
                } else {
                    line += 1
                    column = 1
                }
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return JSONSyntaxError(offset: offset, line: line, column: column, reason: reason)
    }

    /// A printable ASCII byte in quotes, anything else as `U+00XX`.
    private static func display(_ byte: UInt8) -> String {
        if byte == UInt8(ascii: "'") { return "\"'\"" }
        if byte > 0x20 && byte < 0x7F {
            return "'\(Character(Unicode.Scalar(byte)))'"
        }
        return "U+00\(hex2(byte))"
    }

    static func hex2(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
    }

    private func hex4(_ unit: UInt16) -> String {
        Self.hex2(UInt8(unit >> 8)) + Self.hex2(UInt8(unit & 0xFF))
    }
}
