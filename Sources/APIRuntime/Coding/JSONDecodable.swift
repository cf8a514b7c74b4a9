/// A type that generated code can read from a parsed JSON value.
///
/// Unlike `Decodable`, decoding never throws and never stops early: an
/// invalid value appends at least one ``FieldError`` (named by `path`) to
/// `errors` and the initializer returns nil, so one request reports every
/// invalid field at once.
///
/// Generated structs conform with one line per property, through the
/// ``JSONObject`` helpers (``JSONObject/required(_:_:path:errors:)``,
/// ``JSONObject/optional(_:_:nullable:path:errors:)``, …). A hand-written
/// conformance follows the same shape:
///
/// ```swift
/// struct Point: JSONDecodable {
///     var x: Int
///     var y: Int
///
///     init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
///         guard let object = json.objectValue(at: path, errors: &errors) else { return nil }
///         // Decode every member before giving up, so each problem is reported.
///         let x = object.required(Int.self, "x", path: path, errors: &errors)
///         let y = object.required(Int.self, "y", path: path, errors: &errors)
///         guard let x, let y else { return nil }
///         self.x = x
///         self.y = y
///     }
/// }
///
/// var errors = ValidationErrors()
/// let point = Point(json: try JSON.parse(#"{"x": 1, "y": "2"}"#), path: .root, errors: &errors)
/// // point == nil; errors.errors == [FieldError(field: "y", message: "must be an integer")]
/// ```
public protocol JSONDecodable: Sendable {
    /// Decodes `json`, the value found at `path`, or returns nil after adding
    /// to `errors` one error per problem, each named by `path` or a path
    /// below it.
    ///
    /// Returning nil without adding an error is a bug in the conformance:
    /// callers rely on a nil result always being explained in `errors`.
    /// `path` is ``FieldPath/root`` for a whole request body.
    init?(json: JSON, path: FieldPath, errors: inout ValidationErrors)
}
