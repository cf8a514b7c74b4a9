/// YAML 1.2 core-schema resolution of plain scalars.
///
/// Only plain (unquoted) scalars without an explicit tag are resolved; quoted
/// and block scalars are always strings. Unlike YAML 1.1 (and PyYAML), `yes`,
/// `no`, `on`, `off`, `y`, `n` and `2022-01-23` stay strings, and numbers
/// with leading zeros such as `0755` are decimal integers, not octal.
///
/// The core schema's rules, which this follows exactly:
///
///     null   ~ | null | Null | NULL | (empty)
///     bool   true | True | TRUE | false | False | FALSE
///     int    [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+
///     float  [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
///            | [-+]?(\.inf|\.Inf|\.INF) | \.nan | \.NaN | \.NAN
enum CoreSchema {
    static func resolvePlain(_ text: String) -> YAMLScalar.Value {
        let utf8 = text.utf8
        guard let first = utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "~"):
            return utf8.count == 1 ? .null : .string
        case UInt8(ascii: "n"), UInt8(ascii: "N"):
            return (text == "null" || text == "Null" || text == "NULL") ? .null : .string
        case UInt8(ascii: "t"), UInt8(ascii: "T"):
            return (text == "true" || text == "True" || text == "TRUE") ? .bool(true) : .string
        case UInt8(ascii: "f"), UInt8(ascii: "F"):
            return (text == "false" || text == "False" || text == "FALSE") ? .bool(false) : .string
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
            return resolveNumber(text) ?? .string
        default:
            return .string
        }
    }

    /// An int or float per the core schema, or nil when the text is neither.
    static func resolveNumber(_ text: String) -> YAMLScalar.Value? {
        let bytes = Array(text.utf8)
        if bytes.count > 2, bytes[0] == UInt8(ascii: "0") {
            if bytes[1] == UInt8(ascii: "o") {
                return radixInteger(bytes.dropFirst(2), radix: 8)
            }
            if bytes[1] == UInt8(ascii: "x") {
                return radixInteger(bytes.dropFirst(2), radix: 16)
            }
        }
        if isDecimalInteger(bytes) {
            if let value = Int(text) { return .int(value) }
            // Too large for Int: still a number, kept exact in the text.
            return Double(text).map(YAMLScalar.Value.float)
        }
        if let special = specialFloat(text) { return .float(special) }
        if isDecimalFloat(bytes), let value = Double(text) { return .float(value) }
        return nil
    }

    private static func radixInteger(_ digits: ArraySlice<UInt8>, radix: Int) -> YAMLScalar.Value? {
        guard !digits.isEmpty else { return nil }
        let text = String(decoding: digits, as: UTF8.self)
        // Reject signs and anything Int(_:radix:) would accept beyond the pattern.
        guard digits.allSatisfy({ isDigit($0, radix: radix) }) else { return nil }
        if let value = Int(text, radix: radix) { return .int(value) }
        return nil
    }

    private static func isDigit(_ byte: UInt8, radix: Int) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "7"): return true
        case UInt8(ascii: "8"), UInt8(ascii: "9"): return radix >= 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): return radix == 16
        default: return false
        }
    }

    private static func isASCIIDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// `[-+]?[0-9]+`
    private static func isDecimalInteger(_ bytes: [UInt8]) -> Bool {
        var index = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            index += 1
        }
        guard index < bytes.count else { return false }
        return bytes[index...].allSatisfy(isASCIIDigit)
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
    private static func isDecimalFloat(_ bytes: [UInt8]) -> Bool {
        var index = 0
        let count = bytes.count
        func digits() -> Int {
            let start = index
            while index < count, isASCIIDigit(bytes[index]) { index += 1 }
            return index - start
        }
        if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            index += 1
        }
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return false }
        } else {
            guard digits() > 0 else { return false }
            if index < count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                _ = digits()
            }
        }
        if index < count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                index += 1
            }
            guard digits() > 0 else { return false }
        }
        return index == count
    }

    private static func specialFloat(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: return nil
        }
    }
}
