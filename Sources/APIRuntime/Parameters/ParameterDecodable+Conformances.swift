#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Parameter text for the standard types. The grammars are the JSON ones
// (no `+5`, no `0x1p3`, no `nan`), so a value means the same in the query
// as in the body; only integers may have leading zeros (`page=007`).

extension String: ParameterDecodable {
    /// The text as is (already percent-decoded); every text is a valid string.
    public init?(parameterValue: Substring) { self = String(parameterValue) }
    /// `must be a string`.
    public static var parameterTypeMessage: String { DecodingMessage.string }
}

extension Bool: ParameterDecodable {
    /// Exactly `true` or `false`.
    public init?(parameterValue: Substring) {
        switch parameterValue {
        case "true": self = true
        case "false": self = false
        default: return nil
        }
    }

    /// `must be a boolean`.
    public static var parameterTypeMessage: String { DecodingMessage.boolean }
}

extension Int: ParameterDecodable {
    /// Decimal digits with an optional `-` (`-?[0-9]+`, leading zeros allowed),
    /// within `Int`'s range; nil otherwise (no `+`, no spaces, no fraction).
    public init?(parameterValue: Substring) {
        guard case .value(let value) = ParameterInteger.parse(parameterValue) else { return nil }
        self = value
    }

    /// `must be an integer`.
    public static var parameterTypeMessage: String { DecodingMessage.integer }

    /// `must be an integer` for text that is not `-?[0-9]+`; well-formed
    /// digits that do not fit read `is out of range`.
    public static func parameterErrorMessage(for value: Substring) -> String {
        ParameterInteger.message(for: value)
    }
}

extension Int32: ParameterDecodable {
    /// Decimal digits as for `Int`, within 32 bits.
    public init?(parameterValue: Substring) {
        guard case .value(let wide) = ParameterInteger.parse(parameterValue),
              let value = Int32(exactly: wide)
        else { return nil }
        self = value
    }

    /// `must be an integer`.
    public static var parameterTypeMessage: String { DecodingMessage.integer }

    /// `must be an integer` for text that is not `-?[0-9]+`; well-formed
    /// digits that do not fit read `is out of range`.
    public static func parameterErrorMessage(for value: Substring) -> String {
        ParameterInteger.message(for: value)
    }
}

extension Int64: ParameterDecodable {
    /// Decimal digits as for `Int`, within 64 bits.
    public init?(parameterValue: Substring) {
        guard case .value(let wide) = ParameterInteger.parse(parameterValue),
              let value = Int64(exactly: wide)
        else { return nil }
        self = value
    }

    /// `must be an integer`.
    public static var parameterTypeMessage: String { DecodingMessage.integer }

    /// `must be an integer` for text that is not `-?[0-9]+`; well-formed
    /// digits that do not fit read `is out of range`.
    public static func parameterErrorMessage(for value: Substring) -> String {
        ParameterInteger.message(for: value)
    }
}

/// Whether `text` is a JSON number literal (RFC 8259 grammar).
private func isNumberLiteral(_ text: Substring) -> Bool {
    text.withUTF8Buffer { JSONNumber.isValidLiteral($0) }
}

extension Double: ParameterDecodable {
    /// A JSON number literal (`1`, `-0.5`, `2e3`; not `+1`, `.5` or `nan`)
    /// whose value is finite as a `Double`.
    public init?(parameterValue: Substring) {
        guard isNumberLiteral(parameterValue), let value = Double(parameterValue), value.isFinite else {
            return nil
        }
        self = value
    }

    /// `must be a number`.
    public static var parameterTypeMessage: String { DecodingMessage.number }

    /// `is out of range` for a well-formed number too large for `Double`
    /// (`1e400`), else `must be a number`.
    public static func parameterErrorMessage(for value: Substring) -> String {
        isNumberLiteral(value) ? DecodingMessage.outOfRange : DecodingMessage.number
    }
}

extension Float: ParameterDecodable {
    /// A JSON number literal whose value is finite as a `Float`.
    public init?(parameterValue: Substring) {
        guard isNumberLiteral(parameterValue), let value = Float(parameterValue), value.isFinite else {
            return nil
        }
        self = value
    }

    /// `must be a number`.
    public static var parameterTypeMessage: String { DecodingMessage.number }

    /// `is out of range` for a well-formed number too large for `Float`
    /// (`1e39`), else `must be a number`.
    public static func parameterErrorMessage(for value: Substring) -> String {
        isNumberLiteral(value) ? DecodingMessage.outOfRange : DecodingMessage.number
    }
}

extension UUID: ParameterDecodable {
    /// The canonical 36-character form, hex digits in either case.
    public init?(parameterValue: Substring) {
        guard let value = UUIDText.parse(parameterValue) else { return nil }
        self = value
    }

    /// `must be a UUID`.
    public static var parameterTypeMessage: String { DecodingMessage.uuid }
}

extension Date: ParameterDecodable {
    /// An RFC 3339 date-time with its offset, as in a JSON body. A `+` offset
    /// must be sent as `%2B` in a query, where a bare `+` means a space.
    public init?(parameterValue: Substring) {
        guard let value = RFC3339.parseDateTime(parameterValue) else { return nil }
        self = value
    }

    /// `must be an RFC 3339 date-time`.
    public static var parameterTypeMessage: String { DecodingMessage.dateTime }
}
