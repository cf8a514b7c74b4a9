/// A type a path, query or header parameter's text can be decoded into.
///
/// Parameters are plain text, so decoding is one failable initializer; the
/// message for a value that does not decode comes from the type, so the
/// error names what was expected (`must be an integer`, `must be one of …`).
/// The standard types (`String`, `Bool`, the integers, `Double`, `Float`,
/// `UUID`, `Date`) and the generated string and integer enums conform
/// already. Another type conforms with its initializer and, ideally, a
/// message:
///
/// ```swift
/// struct Cursor: ParameterDecodable {
///     var offset: Int
///
///     init?(parameterValue: Substring) {
///         guard parameterValue.hasPrefix("c"), let offset = Int(parameterValue.dropFirst()) else { return nil }
///         self.offset = offset
///     }
///
///     static var parameterTypeMessage: String { "must be a cursor such as c20" }
/// }
///
/// var errors = ValidationErrors()
/// let query = QueryParameters(query: "cursor=x")
/// let cursor = ParameterDecoding.scalar(Cursor.self, query.first("cursor"), name: "cursor", required: false, errors: &errors)
/// // cursor == nil; errors.errors == [FieldError(field: "cursor", message: "must be a cursor such as c20")]
/// ```
public protocol ParameterDecodable: Sendable {
    /// The value for the (already percent-decoded) text, or nil.
    init?(parameterValue: Substring)

    /// What a valid value is, phrased to follow the parameter's name:
    /// `must be an integer`. Defaults to `is not valid`.
    static var parameterTypeMessage: String { get }

    /// The message for `value`, which did not decode. Defaults to
    /// `parameterTypeMessage`; integers say `is out of range` for a
    /// well-formed integer that does not fit.
    static func parameterErrorMessage(for value: Substring) -> String
}

extension ParameterDecodable {
    /// `is not valid`: a type that says nothing more about its values.
    public static var parameterTypeMessage: String { "is not valid" }

    /// ``parameterTypeMessage``, whatever the value was.
    public static func parameterErrorMessage(for value: Substring) -> String {
        parameterTypeMessage
    }
}
