#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// The standard types generated models are built from. Each reports the
// message of the JSON type it expects, so `{"count": "3"}` reads
// `count: must be an integer`.

extension String: JSONDecodable {
    /// A JSON string, escapes decoded; anything else is `must be a string`
    /// (numbers are not turned into text).
    public init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
        guard case .string(let value) = json else {
            errors.add(path, DecodingMessage.string)
            return nil
        }
        self = value
    }
}

extension Bool: JSONDecodable {
    /// Exactly `true` or `false`; anything else (including `"true"` and `1`)
    /// is `must be a boolean`.
    public init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
        guard case .bool(let value) = json else {
            errors.add(path, DecodingMessage.boolean)
            return nil
        }
        self = value
    }
}

extension Int: JSONDecodable {
    /// A number whose value is an integer, however it is written (`3`, `3.0`,
    /// `3e0`). A fraction (`1.5`) or a non-number is `must be an integer`; an
    /// integer beyond `Int`'s 64 bits (`1e19`) is `is out of range`.
    public init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
        guard case .number(let number) = json else {
            errors.add(path, DecodingMessage.integer)
            return nil
        }
        switch number.integerValue {
        case .exact(let value):
            self = value
        case .overflow:
            errors.add(path, DecodingMessage.outOfRange)
            return nil
        case .fractional:
            errors.add(path, DecodingMessage.integer)
            return nil
        }
    }
}

extension Int32: JSONDecodable {
    /// An integer (as for `Int`) that fits in 32 bits (`format: int32`);
    /// a larger one is `is out of range`.
    public init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
        guard let wide = Int(json: json, path: path, errors: &errors) else { return nil }
        guard let value = Int32(exactly: wide) else {
            errors.add(path, DecodingMessage.outOfRange)
            return nil
        }
        self = value
    }
}

extension Int64: JSONDecodable {
    /// An integer (as for `Int`) that fits in 64 bits (`format: int64`).
    public init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
        guard let wide = Int(json: json, path: path, errors: &errors) else { return nil }
        guard let value = Int64(exactly: wide) else {
            errors.add(path, DecodingMessage.outOfRange)
            return nil
        }
        self = value
    }
}

extension Double: JSONDecodable {
    /// Any JSON number, rounded to the nearest `Double`; a non-number is
    /// `must be a number`, and a literal beyond `Double`'s range (`1e400`) is
    /// `is out of range` rather than infinity.
    public init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
        guard case .number(let number) = json else {
            errors.add(path, DecodingMessage.number)
            return nil
        }
        let value = number.double
        guard value.isFinite else {
            errors.add(path, DecodingMessage.outOfRange)
            return nil
        }
        self = value
    }
}

extension Float: JSONDecodable {
    /// Any JSON number, rounded once to the nearest `Float` (`format: float`);
    /// `is out of range` beyond `Float`'s range (`1e39`).
    public init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
        guard case .number(let number) = json else {
            errors.add(path, DecodingMessage.number)
            return nil
        }
        // Straight from the text: Float(Double(text)) could round twice.
        guard let value = Float(number.literal), value.isFinite else {
            errors.add(path, DecodingMessage.outOfRange)
            return nil
        }
        self = value
    }
}

extension UUID: JSONDecodable {
    /// A string in the canonical 36-character form, hex digits in either case
    /// (`format: uuid`); anything else is `must be a UUID`. See ``UUIDText``.
    public init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
        guard case .string(let text) = json, let value = UUIDText.parse(text) else {
            errors.add(path, DecodingMessage.uuid)
            return nil
        }
        self = value
    }
}

extension Date: JSONDecodable {
    /// An RFC 3339 date-time string with a `Z` or `±hh:mm` offset
    /// (`format: date-time`); anything else, an impossible date such as
    /// `2023-02-30` among them, is `must be an RFC 3339 date-time`. See
    /// ``RFC3339/parseDateTime(_:)``.
    public init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
        guard case .string(let text) = json, let value = RFC3339.parseDateTime(text) else {
            errors.add(path, DecodingMessage.dateTime)
            return nil
        }
        self = value
    }
}

extension JSON: JSONDecodable {
    /// Any value is a valid `JSON` (schema-less fields).
    public init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
        self = json
    }
}

extension Optional: JSONDecodable where Wrapped: JSONDecodable {
    /// `null` is nil; anything else must be a valid `Wrapped`
    /// (for arrays of nullable items such as `[String?]`).
    public init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
        if case .null = json {
            self = .none
            return
        }
        guard let value = Wrapped(json: json, path: path, errors: &errors) else { return nil }
        self = .some(value)
    }
}

extension Array: JSONDecodable where Element: JSONDecodable {
    /// Decodes every element (reporting each invalid one at `path[i]`).
    public init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
        guard case .array(let elements) = json else {
            errors.add(path, DecodingMessage.array)
            return nil
        }
        let base = path.flattened
        var result: [Element] = []
        result.reserveCapacity(elements.count)
        var failed = false
        for (index, element) in elements.enumerated() {
            if let value = Element(json: element, path: base.appending(index: index), errors: &errors) {
                if !failed { result.append(value) }
            } else {
                failed = true
            }
        }
        if failed { return nil }
        self = result
    }
}

extension Dictionary: JSONDecodable where Key == String, Value: JSONDecodable {
    /// Decodes every member's value (reporting each invalid one at `path.key`).
    public init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
        guard case .object(let object) = json else {
            errors.add(path, DecodingMessage.object)
            return nil
        }
        guard let result = object.decodeEntries(Value.self, excluding: nil, path: path, errors: &errors) else {
            return nil
        }
        self = result
    }
}
