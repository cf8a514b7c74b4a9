/// The `minLength`, `maxLength`, `pattern` and `format` of a string schema,
/// checked by generated code after the value decoded as a `String`.
///
/// Generated code builds each set of rules once, in a `static let`, and
/// checks a value only when it decoded, so a missing or mistyped field is
/// reported once, not again by its rules:
///
/// ```swift
/// static let labelRules = StringRules(minLength: 1, maxLength: 200, pattern: Pattern("^[^\\x00-\\x1F]*$"))
///
/// let label = object.required(String.self, "token_label", path: path, errors: &errors)
/// if let label {
///     Self.labelRules.check(label, at: path.appending("token_label"), errors: &errors)
/// }
/// // "" reports `token_label: must be at least 1 character`
/// ```
public struct StringRules: Sendable {
    /// `minLength`: the fewest Unicode scalars allowed, inclusive; nil for no
    /// lower bound. A shorter value reports `must be at least N characters`.
    public let minLength: Int?
    /// `maxLength`: the most Unicode scalars allowed, inclusive; nil for no
    /// upper bound. A longer value reports `must be at most N characters`.
    public let maxLength: Int?
    /// `pattern`: the value must match it somewhere (`must match the pattern …`);
    /// nil for none.
    public let pattern: Pattern?
    /// `format`, when it is one the runtime checks for a `String` property
    /// (``StringFormat``); nil for none or for a format only documented.
    public let format: StringFormat?

    /// The rules of one string schema; the defaults check nothing.
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
