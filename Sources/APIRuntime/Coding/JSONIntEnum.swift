/// An integer enum from a spec's `enum: [1, 2, 3]`, e.g.
///
///     enum Priority: Int, JSONIntEnum { case low = 1, medium = 2, high = 3 }
///
/// Decoding and encoding come from the defaults below, with
/// `must be one of 1, 2, 3` for an unknown value.
public protocol JSONIntEnum:
    RawRepresentable, CaseIterable, JSONDecodable, JSONEncodable, ParameterDecodable, Hashable, Sendable
where RawValue == Int {}

extension JSONIntEnum {
    /// A JSON integer that is one of the raw values. A non-integer reports why
    /// (`must be an integer`, `is out of range`); an integer that is no case
    /// reports `must be one of 1, 2, 3`.
    public init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
        var probe = ValidationErrors()
        guard let number = Int(json: json, path: path, errors: &probe) else {
            // Not an integer at all: report why (`must be an integer`, …).
            errors.append(contentsOf: probe)
            return nil
        }
        guard let value = Self(rawValue: number) else {
            errors.add(path, Self.parameterTypeMessage)
            return nil
        }
        self = value
    }

    /// The raw value as a JSON integer.
    public func encode(to writer: inout JSONWriter) {
        writer.int(rawValue)
    }

    /// The case whose raw value the decimal text is (`priority=2`), or nil.
    public init?(parameterValue: Substring) {
        guard let number = Int(parameterValue: parameterValue), let value = Self(rawValue: number) else {
            return nil
        }
        self = value
    }

    /// `must be one of 1, 2, 3`, the raw values in declaration order.
    public static var parameterTypeMessage: String {
        DecodingMessage.oneOf(allCases.map(\.rawValue))
    }

    /// Text that is not an integer says so; an integer that is not a case
    /// lists the cases.
    public static func parameterErrorMessage(for value: Substring) -> String {
        Int(parameterValue: value) == nil ? Int.parameterErrorMessage(for: value) : parameterTypeMessage
    }
}
