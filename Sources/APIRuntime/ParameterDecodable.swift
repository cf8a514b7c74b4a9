/// A type a path, query or header parameter's text can be decoded into.
///
/// Parameters are plain text, so decoding is one failable initializer; the
/// message for a value that does not decode comes from the type, so the
/// error names what was expected (`must be an integer`, `must be one of …`).
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
    public static var parameterTypeMessage: String { "is not valid" }

    public static func parameterErrorMessage(for value: Substring) -> String {
        parameterTypeMessage
    }
}
