/// One problem with one request field, as published in the error body's
/// `errors` array: `{"field": "token_label", "message": "is required"}`.
public struct FieldError: Sendable, Equatable, Hashable {
    /// The field's path (`FieldPath.description`), e.g. `items[2].name`.
    public var field: String
    /// What is wrong, phrased to follow the field name: `must be a string`.
    public var message: String

    /// An error for the field named `field` (a ``FieldPath``'s description, or
    /// `body` for the body as a whole) with `message` phrased to follow it.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}
