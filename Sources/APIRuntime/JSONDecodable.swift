/// A type that generated code can read from a parsed JSON value.
///
/// Unlike `Decodable`, decoding never throws and never stops early: an
/// invalid value appends at least one `FieldError` (named by `path`) to
/// `errors` and the initializer returns nil, so one request reports every
/// invalid field at once.
public protocol JSONDecodable: Sendable {
    init?(json: JSON, path: FieldPath, errors: inout ValidationErrors)
}
