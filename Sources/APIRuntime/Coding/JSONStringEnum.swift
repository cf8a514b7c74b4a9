/// A string enum from a spec's `enum:` list, e.g.
///
///     enum AccessLevel: String, JSONStringEnum { case READ_ONLY, FULL_ACCESS }
///
/// Declaring the conformance is all generated code does: JSON decoding and
/// encoding and parameter decoding come from the defaults below, with
/// `must be one of READ_ONLY, FULL_ACCESS` for an unknown value.
public protocol JSONStringEnum:
    RawRepresentable, CaseIterable, JSONDecodable, JSONEncodable, ParameterDecodable, Hashable, Sendable
where RawValue == String {}

extension JSONStringEnum {
    /// A JSON string that is exactly one raw value (case-sensitive). A
    /// non-string is `must be a string`; another string is
    /// `must be one of READ_ONLY, FULL_ACCESS`.
    public init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
        guard case .string(let text) = json else {
            errors.add(path, DecodingMessage.string)
            return nil
        }
        guard let value = Self(rawValue: text) else {
            errors.add(path, Self.parameterTypeMessage)
            return nil
        }
        self = value
    }

    /// The raw value as a JSON string.
    public func encode(to writer: inout JSONWriter) {
        writer.string(rawValue)
    }

    /// The case whose raw value the text is, exactly (case-sensitive), or nil.
    public init?(parameterValue: Substring) {
        guard let value = Self(rawValue: String(parameterValue)) else { return nil }
        self = value
    }

    /// `must be one of A, B, C`, the raw values in declaration order.
    public static var parameterTypeMessage: String {
        DecodingMessage.oneOf(allCases.map(\.rawValue))
    }
}
