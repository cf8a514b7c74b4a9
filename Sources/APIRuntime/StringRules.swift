/// The `minLength`, `maxLength`, `pattern` and `format` of a string schema,
/// checked by generated code after the value decoded as a `String`.
public struct StringRules: Sendable {
    public let minLength: Int?
    public let maxLength: Int?
    public let pattern: Pattern?
    public let format: StringFormat?

    public init(minLength: Int? = nil, maxLength: Int? = nil, pattern: Pattern? = nil, format: StringFormat? = nil) {
        self.minLength = minLength
        self.maxLength = maxLength
        self.pattern = pattern
        self.format = format
    }

    /// Reports every rule `value` breaks at `path`. Lengths count Unicode
    /// scalars, as JSON Schema counts code points (`"é"` is 1, `"👍🏽"` is 2).
    public func check(_ value: String, at path: FieldPath, errors: inout ValidationErrors) {
        if minLength != nil || maxLength != nil {
            // Bytes bound scalars from above, so most checks skip counting.
            let byteCount = value.utf8.count
            if let minLength, byteCount < minLength || value.unicodeScalars.count < minLength {
                errors.add(path, "must be at least \(Self.characters(minLength))")
            }
            if let maxLength, byteCount > maxLength, value.unicodeScalars.count > maxLength {
                errors.add(path, "must be at most \(Self.characters(maxLength))")
            }
        }
        if let pattern, !pattern.matches(value) {
            errors.add(path, "must match the pattern \(pattern.source)")
        }
        if let format, !format.isValid(value) {
            errors.add(path, format.message)
        }
    }

    private static func characters(_ count: Int) -> String {
        count == 1 ? "1 character" : "\(count) characters"
    }
}
