extension ParameterDecoding {
    /// `style: deepObject` (`filter[status]=open`), read as text keys and
    /// values: nil `values` (no such keys) is `.some(nil)`, or `is required`
    /// and nil when `required`.
    public static func deepObject(
        _ values: [String: String]?, name: String, required: Bool, errors: inout ValidationErrors
    ) -> [String: String]?? {
        guard let values else {
            if required {
                errors.add(FieldPath(name), DecodingMessage.required)
                return nil
            }
            return .some(nil)
        }
        return .some(values)
    }
}
