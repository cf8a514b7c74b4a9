/// The field errors collected while decoding and validating one request.
///
/// Decoding does not stop at the first problem: every invalid field is
/// reported at once, in the order the fields were checked.
public struct ValidationErrors: Sendable, Equatable {
    public private(set) var errors: [FieldError]

    public init() {
        errors = []
    }

    public var isEmpty: Bool { errors.isEmpty }

    public var count: Int { errors.count }

    /// Records that the field at `path` is invalid.
    public mutating func add(_ path: FieldPath, _ message: String) {
        errors.append(FieldError(field: path.description, message: message))
    }

    /// Records an error that already names its field.
    public mutating func add(_ error: FieldError) {
        errors.append(error)
    }

    /// Records all of `other`'s errors after these.
    public mutating func append(contentsOf other: ValidationErrors) {
        errors.append(contentsOf: other.errors)
    }
}
