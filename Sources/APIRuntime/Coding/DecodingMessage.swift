/// The messages decoders report, shared by JSON and parameter decoding so a
/// field reads the same whether it came from the body or the query.
enum DecodingMessage {
    static let string = "must be a string"
    static let boolean = "must be a boolean"
    static let integer = "must be an integer"
    static let number = "must be a number"
    static let object = "must be an object"
    static let array = "must be an array"
    static let uuid = "must be a UUID"
    static let dateTime = "must be an RFC 3339 date-time"
    static let outOfRange = "is out of range"
    static let required = "is required"
    static let notNull = "must not be null"
    static let notAllowed = "is not allowed"

    /// `must be one of A, B, C`.
    static func oneOf<S: Sequence>(_ values: S) -> String where S.Element: CustomStringConvertible {
        "must be one of " + values.map(\.description).joined(separator: ", ")
    }
}
