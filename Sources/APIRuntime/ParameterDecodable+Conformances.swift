#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Parameter text for the standard types. The grammars are the JSON ones
// (no `+5`, no `0x1p3`, no `nan`), so a value means the same in the query
// as in the body; only integers may have leading zeros (`page=007`).

extension String: ParameterDecodable {
    public init?(parameterValue: Substring) { self = String(parameterValue) }
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

    public static var parameterTypeMessage: String { DecodingMessage.boolean }
}

extension Int: ParameterDecodable {
    public init?(parameterValue: Substring) {
        guard case .value(let value) = ParameterInteger.parse(parameterValue) else { return nil }
        self = value
    }

    public static var parameterTypeMessage: String { DecodingMessage.integer }

    public static func parameterErrorMessage(for value: Substring) -> String {
        ParameterInteger.message(for: value)
    }
}

extension Int32: ParameterDecodable {
    public init?(parameterValue: Substring) {
        guard case .value(let wide) = ParameterInteger.parse(parameterValue),
              let value = Int32(exactly: wide)
        else { return nil }
        self = value
    }

    public static var parameterTypeMessage: String { DecodingMessage.integer }

    public static func parameterErrorMessage(for value: Substring) -> String {
        ParameterInteger.message(for: value)
    }
}

extension Int64: ParameterDecodable {
    public init?(parameterValue: Substring) {
        guard case .value(let wide) = ParameterInteger.parse(parameterValue),
              let value = Int64(exactly: wide)
        else { return nil }
        self = value
    }

    public static var parameterTypeMessage: String { DecodingMessage.integer }

    public static func parameterErrorMessage(for value: Substring) -> String {
        ParameterInteger.message(for: value)
    }
}

/// Whether `text` is a JSON number literal (RFC 8259 grammar).
private func isNumberLiteral(_ text: Substring) -> Bool {
    text.withUTF8Buffer { JSONNumber.isValidLiteral($0) }
}

extension Double: ParameterDecodable {
    public init?(parameterValue: Substring) {
        guard isNumberLiteral(parameterValue), let value = Double(parameterValue), value.isFinite else {
            return nil
        }
        self = value
    }

    public static var parameterTypeMessage: String { DecodingMessage.number }

    public static func parameterErrorMessage(for value: Substring) -> String {
        isNumberLiteral(value) ? DecodingMessage.outOfRange : DecodingMessage.number
    }
}

extension Float: ParameterDecodable {
    public init?(parameterValue: Substring) {
        guard isNumberLiteral(parameterValue), let value = Float(parameterValue), value.isFinite else {
            return nil
        }
        self = value
    }

    public static var parameterTypeMessage: String { DecodingMessage.number }

    public static func parameterErrorMessage(for value: Substring) -> String {
        isNumberLiteral(value) ? DecodingMessage.outOfRange : DecodingMessage.number
    }
}

extension UUID: ParameterDecodable {
    public init?(parameterValue: Substring) {
        guard let value = UUIDText.parse(parameterValue) else { return nil }
        self = value
    }

    public static var parameterTypeMessage: String { DecodingMessage.uuid }
}

extension Date: ParameterDecodable {
    public init?(parameterValue: Substring) {
        guard let value = RFC3339.parseDateTime(parameterValue) else { return nil }
        self = value
    }

    public static var parameterTypeMessage: String { DecodingMessage.dateTime }
}
