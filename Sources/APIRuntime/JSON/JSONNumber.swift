/// A JSON number, kept as the literal text it was written with.
///
/// Keeping the text (instead of converting to `Double` at parse time) means a
/// 64-bit id such as `9007199254740993` survives exactly, and the decoder can
/// tell "not an integer" (`1.5`) from "too big" (`1e30`).
/// Equality compares the literal text: `1` and `1.0` are different literals.
public struct JSONNumber: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The number exactly as written, e.g. `-12.50e3`.
    public let literal: String

    /// A number written as the decimal integer `int`.
    public init(_ int: Int) {
        literal = String(int)
    }

    /// A number written with the shortest text that reads back as `double`.
    /// Non-finite values have no JSON spelling; the writer emits `null` for them.
    public init(_ double: Double) {
        literal = double.description
    }

    /// A number from literal text, or nil when `literal` is not a JSON number
    /// (RFC 8259 grammar: no `+`, no leading zeros, no `.5`, no `NaN`).
    public init?(literal: String) {
        var text = literal
        let valid = text.withUTF8 { JSONNumber.isValidLiteral($0) }
        guard valid else { return nil }
        self.literal = literal
    }

    /// Trusted construction from the parser, which already checked the grammar.
    init(uncheckedLiteral: String) {
        literal = uncheckedLiteral
    }

    /// The exact integer value, when the literal denotes an integer that fits
    /// in `Int`: `42`, `-7`, `1.0`, `1e2`, `2.50e1`; nil for `1.5` or `1e19`.
    public var int: Int? {
        if case .exact(let value) = integerValue { return value }
        return nil
    }

    /// The nearest `Double` (±infinity when the literal is beyond its range).
    public var double: Double {
        Double(literal) ?? .nan
    }

    /// The literal, as written.
    public var description: String { literal }
}

extension JSONNumber {
    /// How the literal relates to the integers; drives the decoder's choice
    /// between "must be an integer" and "is out of range".
    enum IntegerValue: Equatable {
        case exact(Int)
        /// Integral, but outside `Int`'s range.
        case overflow
        /// Has a non-zero fractional part (or is not a finite number at all).
        case fractional
    }

    var integerValue: IntegerValue {
        var text = literal
        return text.withUTF8 { JSONNumber.integerValue(of: $0) }
    }

    /// Exact decimal analysis: value = mantissa × 10^exponent with the
    /// mantissa's trailing zeros moved into the exponent, so `1.000` and
    /// `100e-2` are recognised as integral without floating point.
    static func integerValue(of bytes: UnsafeBufferPointer<UInt8>) -> IntegerValue {
        var i = 0
        let n = bytes.count
        var negative = false
        if i < n, bytes[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        var mantissa: UInt64 = 0
        var mantissaOverflowed = false
        var pendingZeros = 0
        var fractionDigits = 0
        var sawDigit = false
        var inFraction = false
        while i < n {
            let byte = bytes[i]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                sawDigit = true
                if inFraction { fractionDigits += 1 }
                if byte == UInt8(ascii: "0") {
                    pendingZeros += 1
                } else if !mantissaOverflowed {
                    var value = mantissa
                    var overflow = false
                    for _ in 0...pendingZeros {
                        let (product, o) = value.multipliedReportingOverflow(by: 10)
                        value = product
                        if o { overflow = true; break }
                    }
                    if !overflow {
                        let (sum, o) = value.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
                        value = sum
                        overflow = o
                    }
                    if overflow { mantissaOverflowed = true } else { mantissa = value }
                    pendingZeros = 0
                } else {
                    pendingZeros = 0
                }
            } else if byte == UInt8(ascii: "."), !inFraction {
                inFraction = true
            } else {
                break
            }
            i += 1
        }
        guard sawDigit else { return .fractional }
        var exponent = 0
        if i < n, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            var exponentNegative = false
            if i < n, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var sawExponentDigit = false
            while i < n, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
                sawExponentDigit = true
                // Saturate: anything beyond a billion is "huge" either way.
                if exponent < 1_000_000_000 {
                    exponent = exponent * 10 + Int(bytes[i] - UInt8(ascii: "0"))
                }
                i += 1
            }
            guard sawExponentDigit else { return .fractional }
            if exponentNegative { exponent = -exponent }
        }
        guard i == n else { return .fractional }
        if mantissa == 0 && !mantissaOverflowed { return .exact(0) }
        let scale = exponent + pendingZeros - fractionDigits
        if scale < 0 { return .fractional }
        if mantissaOverflowed || scale > 19 { return .overflow }
        var magnitude = mantissa
        for _ in 0..<scale {
            let (product, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            if overflow { return .overflow }
            magnitude = product
        }
        if negative {
            if magnitude == UInt64(Int.max) + 1 { return .exact(Int.min) }
            return magnitude <= UInt64(Int.max) ? .exact(-Int(magnitude)) : .overflow
        }
        return magnitude <= UInt64(Int.max) ? .exact(Int(magnitude)) : .overflow
    }

    /// RFC 8259 number grammar:
    /// `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    static func isValidLiteral(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        numberLiteralEnd(bytes, from: 0) == bytes.count
    }

    /// The end of the number literal that starts at `start`, or nil when the
    /// bytes there are not a complete number (shared with parameter decoding).
    static func numberLiteralEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start
        let n = bytes.count
        func isDigit(_ i: Int) -> Bool {
            i < n && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9")
        }
        if i < n, bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard isDigit(i) else { return nil }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if isDigit(i) { return nil }
        } else {
            while isDigit(i) { i += 1 }
        }
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { return nil }
            while isDigit(i) { i += 1 }
        }
        if i < n, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < n, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard isDigit(i) else { return nil }
            while isDigit(i) { i += 1 }
        }
        return i
    }
}
