import APIRuntime

/// A failure answered in the spec's error format. Generated routes throw
/// these for what the runtime refuses (400 validation, 401/403 security,
/// 404/405 routing, 413/415 bodies). Service code does not throw them
/// directly: it throws its operation's generated `Failure`
/// (``OperationFailure``), whose constructors make one for each status
/// the operation documents:
///
///     throw .conflict("A service user holds at most 2 keys.")
///
/// The body's shape comes from the spec (the error schema marked with
/// `x-tessera-error`, see ``APIErrorBody``) or, when the spec marks none,
/// from ``ProblemDetails`` (RFC 9457). The runtime knows only the HTTP
/// status; the machine code written for each status is the spec's.
public struct APIError: Error, Sendable {
    /// An HTTP status an error is answered with. The named ones are those
    /// the runtime itself produces or that services commonly refuse with;
    /// any other 4xx/5xx code may be made with `init(_:)`.
    public struct Status: Hashable, Sendable, CustomStringConvertible {
        /// The HTTP status code (`404`).
        public let code: Int

        /// A status by its code; it must be a 4xx or 5xx one.
        public init(_ code: Int) {
            precondition((400...599).contains(code), "an APIError's status is 4xx or 5xx, not \(code)")
            self.code = code
        }

        /// 400: the request failed validation or is not well-formed.
        public static let badRequest = Status(400)
        /// 401: no credentials, or credentials that are not valid.
        public static let unauthorized = Status(401)
        /// 403: valid credentials without the right to do this.
        public static let forbidden = Status(403)
        /// 404: no such resource, or no operation at this path.
        public static let notFound = Status(404)
        /// 405: the path exists, the method does not (with `Allow`).
        public static let methodNotAllowed = Status(405)
        /// 409: the request conflicts with the resource's current state.
        public static let conflict = Status(409)
        /// 413: the body is larger than the operation accepts.
        public static let payloadTooLarge = Status(413)
        /// 415: the body's media type is not one the operation accepts.
        public static let unsupportedMediaType = Status(415)
        /// 422: well-formed, valid, and still not something the service can do.
        public static let unprocessableEntity = Status(422)
        /// 429: too many requests from this client for now.
        public static let tooManyRequests = Status(429)
        /// 500: an internal fault.
        public static let serverError = Status(500)
        /// 503: a dependency (e.g. the database) cannot be reached right now.
        public static let serviceUnavailable = Status(503)

        /// RFC 9110's reason phrase (`Not Found`); `Client Error` or `Server Error` for a code it does not name.
        public var reasonPhrase: String { Self.reasonPhrases[code] ?? (code < 500 ? "Client Error" : "Server Error") }

        /// The reason phrase in snake case (`not_found`): the machine code
        /// of a spec whose error schema has a string code and no `codes` table.
        public var slug: String {
            reasonPhrase.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }.reduce(into: "") { $0.append($1) }
        }

        /// `404 Not Found`.
        public var description: String { "\(code) \(reasonPhrase)" }

        private static let reasonPhrases: [Int: String] = [
            400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found",
            405: "Method Not Allowed", 406: "Not Acceptable", 407: "Proxy Authentication Required", 408: "Request Timeout",
            409: "Conflict", 410: "Gone", 411: "Length Required", 412: "Precondition Failed", 413: "Content Too Large",
            414: "URI Too Long", 415: "Unsupported Media Type", 416: "Range Not Satisfiable", 417: "Expectation Failed",
            421: "Misdirected Request", 422: "Unprocessable Content", 423: "Locked", 424: "Failed Dependency",
            425: "Too Early", 426: "Upgrade Required", 428: "Precondition Required", 429: "Too Many Requests",
            431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons",
            500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
            504: "Gateway Timeout", 505: "HTTP Version Not Supported",
        ]
    }

    /// The HTTP status answered.
    public var status: Status
    /// A human-readable explanation, written in the body's message property.
    /// Never put a secret or a request's credentials in it.
    public var message: String
    /// Field-level problems (validation only).
    public var fieldErrors: [FieldError]
    /// Extra response headers (`Allow`, `WWW-Authenticate`).
    public var headers: [(name: String, value: String)]

    /// An error answered with `status` and `message`.
    public init(_ status: Status, _ message: String, fieldErrors: [FieldError] = [], headers: [(name: String, value: String)] = []) {
        self.status = status
        self.message = message
        self.fieldErrors = fieldErrors
        self.headers = headers
    }

    /// A 400 naming every invalid field.
    public static func validation(_ errors: ValidationErrors) -> APIError {
        let count = errors.count
        return APIError(.badRequest, "The request is invalid: \(count) field\(count == 1 ? "" : "s") failed validation.", fieldErrors: errors.errors)
    }
}

/// The spec's error body: every error the server answers is written in
/// this shape. Generated code makes the spec's error schema (the one marked
/// `x-tessera-error`) conform; without one, ``ProblemDetails`` is used.
///
///     extension Schemas.Error: APIErrorBody {
///         static func make(status: Int, message: String, correlationID: String, fieldErrors: [FieldError]) -> Self {
///             Self(code: status == 404 ? "not_found" : "error", message: message)
///         }
///     }
public protocol APIErrorBody: JSONEncodable, Sendable {
    /// The body for an error with this HTTP status, message, correlation id
    /// (the `X-Correlation-ID` of the response) and field errors.
    static func make(status: Int, message: String, correlationID: String, fieldErrors: [FieldError]) -> Self

    /// The body's media type (default `application/json`).
    static var contentType: String { get }
}

extension APIErrorBody {
    /// `application/json`, unless the body type says otherwise.
    public static var contentType: String { "application/json" }
}

/// The runtime's own error format, for specs that mark no error schema:
/// RFC 9457 problem details (`application/problem+json`), with the
/// correlation id and field errors as extension members:
///
///     {"type":"about:blank","title":"Not Found","status":404,
///      "detail":"No operation has this path; see the API description.",
///      "correlationId":"5f0c…","errors":[{"field":"limit","message":"…"}]}
public struct ProblemDetails: APIErrorBody, Equatable {
    /// `about:blank`: the status says what the problem is.
    public var type: String
    /// The status's reason phrase (`Not Found`).
    public var title: String
    /// The HTTP status code.
    public var status: Int
    /// The error's message.
    public var detail: String
    /// The response's `X-Correlation-ID`.
    public var correlationID: String
    /// Field-level problems; omitted when there are none.
    public var errors: [FieldError]

    /// `application/problem+json` (RFC 9457 §3).
    public static var contentType: String { "application/problem+json" }

    /// The problem for an error: `about:blank`, the status's reason phrase as its title, the message as its detail.
    public static func make(status: Int, message: String, correlationID: String, fieldErrors: [FieldError]) -> ProblemDetails {
        ProblemDetails(
            type: "about:blank", title: APIError.Status(status).reasonPhrase, status: status,
            detail: message, correlationID: correlationID, errors: fieldErrors
        )
    }

    /// Writes the members in RFC 9457's order, then the extension members; `errors` only when there are some.
    public func encode(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("type", type)
        writer.field("title", title)
        writer.field("status", status)
        writer.field("detail", detail)
        writer.field("correlationId", correlationID)
        if !errors.isEmpty {
            writer.key("errors")
            writer.beginArray()
            for error in errors {
                writer.beginObject()
                writer.field("field", error.field)
                writer.field("message", error.message)
                writer.endObject()
            }
            writer.endArray()
        }
        writer.endObject()
    }
}
