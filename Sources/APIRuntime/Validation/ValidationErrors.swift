/// The field errors collected while decoding and validating one request.
///
/// Decoding does not stop at the first problem: every invalid field is
/// reported at once, in the order the fields were checked.
public struct ValidationErrors: Sendable, Equatable {
    /// The errors in the order they were added.
    public private(set) var errors: [FieldError]

    /// No errors yet: what a request's decoding starts from.
    public init() {
        errors = []
    }

    /// Whether nothing was reported: the request is valid so far.
    public var isEmpty: Bool { errors.isEmpty }

    /// How many errors were reported. Generated decoders compare it before and
    /// after a value to tell whether that value added any.
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
