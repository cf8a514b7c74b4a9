/// A JSON value, as read from a request body or written to a response.
///
/// Numbers keep the text they were written with (`JSONNumber`) so that no
/// precision is lost before the generated code decides which Swift type a
/// field has; objects keep their key order (`JSONObject`).
public enum JSON: Sendable, Equatable {
    /// JSON `null`. Whether null is acceptable is the decoder's business: a
    /// property that is not `nullable` reports `must not be null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, kept as its literal text until a decoder picks its Swift type.
    case number(JSONNumber)
    /// A string, with its escapes already decoded.
    case string(String)
    /// An array, elements in document order.
    case array([JSON])
    /// An object, members in document order (keys are unique when parsed).
    case object(JSONObject)

    /// The string, when this is a JSON string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The boolean, when this is `true` or `false`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The number, when this is a JSON number.
    public var numberValue: JSONNumber? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The elements, when this is a JSON array.
    public var arrayValue: [JSON]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The object, when this is a JSON object.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// Whether this is JSON `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension JSON: CustomStringConvertible {
    /// The value as compact JSON text (what `JSONWriter.raw(_:)` writes).
    public var description: String {
        var writer = JSONWriter(capacity: 64)
        writer.raw(self)
        return writer.string
    }
}
