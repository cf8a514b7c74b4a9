/// What generated routes call to turn parameter text into typed values.
///
/// Like JSON decoding, nothing throws: problems are appended to `errors`
/// with the parameter's name as the field, and the result tells "absent"
/// (`.some(nil)`) from "invalid" (`nil`).
public enum ParameterDecoding {
    /// One value: nil `raw` is `.some(nil)`, or `is required` and nil when
    /// `required`; text that does not decode reports the type's message
    /// (`must be an integer`, `must be one of …`) and returns nil.
    public static func scalar<T: ParameterDecodable>(
        _ type: T.Type, _ raw: Substring?, name: String, required: Bool, errors: inout ValidationErrors
    ) -> T?? {
        guard let raw else {
            if required {
                errors.add(FieldPath(name), DecodingMessage.required)
                return nil
            }
            return .some(nil)
        }
        guard let value = T(parameterValue: raw) else {
            errors.add(FieldPath(name), T.parameterErrorMessage(for: raw))
            return nil
        }
        return .some(value)
    }

    /// An array sent as one comma-separated value, as a header, a cookie
    /// or a path segment carries it (`1,2`); nil is an absent parameter.
    /// `""` is one empty item, not an empty array: that is how RFC 6570,
    /// which these styles come from, writes `[""]`. Query parameters use
    /// `array(_:items:…)` with `QueryParameters.items`, which splits a list
    /// before percent-decoding it.
    public static func array<T: ParameterDecodable>(
        _ type: T.Type, commaSeparated value: Substring?, name: String, required: Bool,
        errors: inout ValidationErrors
    ) -> [T]?? {
        let items = value.map { $0.split(separator: ",", omittingEmptySubsequences: false) } ?? []
        return array(type, items: items, name: name, required: required, errors: &errors)
    }

    /// An array from its items, already split (and decoded). No items is
    /// an absent parameter: `.some(nil)`, or `is required` and nil. Each
    /// invalid item is reported as `name[i]`, and then the result is nil.
    public static func array<T: ParameterDecodable>(
        _ type: T.Type, items: [Substring], name: String, required: Bool, errors: inout ValidationErrors
    ) -> [T]?? {
        if items.isEmpty {
            if required {
                errors.add(FieldPath(name), DecodingMessage.required)
                return nil
            }
            return .some(nil)
        }
        var result: [T] = []
        result.reserveCapacity(items.count)
        var failed = false
        let path = FieldPath(name)
        for (index, item) in items.enumerated() {
            if let value = T(parameterValue: item) {
                result.append(value)
            } else {
                errors.add(path.appending(index: index), T.parameterErrorMessage(for: item))
                failed = true
            }
        }
        return failed ? nil : .some(result)
    }
}
