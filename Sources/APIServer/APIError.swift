import APIRuntime

/// A failure answered with the spec's error body. Generated routes throw
/// these for 400/401/403/404/405/413/415; service code throws them for its
/// own refusals (`throw APIError(.conflict, "a service user holds at most 2 keys")`).
public struct APIError: Error, Sendable {
    /// The kinds of failure, each with its HTTP status and machine code.
    public enum Kind: String, Sendable, CaseIterable {
        case validation = "validation_error"
        case unauthorized = "unauthorized"
        case forbidden = "forbidden"
        case notFound = "not_found"
        case methodNotAllowed = "method_not_allowed"
        case conflict = "conflict"
        case payloadTooLarge = "payload_too_large"
        case unsupportedMediaType = "unsupported_media_type"
        case unprocessableEntity = "unprocessable_entity"
        case tooManyRequests = "too_many_requests"
        case serverError = "server_error"
        case serviceUnavailable = "service_unavailable"

        public var status: Int {
            switch self {
            case .validation: 400
            case .unauthorized: 401
            case .forbidden: 403
            case .notFound: 404
            case .methodNotAllowed: 405
            case .conflict: 409
            case .payloadTooLarge: 413
            case .unsupportedMediaType: 415
            case .unprocessableEntity: 422
            case .tooManyRequests: 429
            case .serverError: 500
            case .serviceUnavailable: 503
            }
        }

        /// The machine code written in the body (`validation_error`).
        public var code: String { rawValue }
    }

    public var kind: Kind
    public var message: String
    /// Field-level problems (validation only).
    public var fieldErrors: [FieldError]
    /// Extra response headers (`Allow`, `WWW-Authenticate`).
    public var headers: [(name: String, value: String)]

    public init(_ kind: Kind, _ message: String, fieldErrors: [FieldError] = [], headers: [(name: String, value: String)] = []) {
        self.kind = kind
        self.message = message
        self.fieldErrors = fieldErrors
        self.headers = headers
    }

    /// A 400 naming every invalid field.
    public static func validation(_ errors: ValidationErrors) -> APIError {
        let count = errors.count
        return APIError(.validation, "The request is invalid: \(count) field\(count == 1 ? "" : "s") failed validation.", fieldErrors: errors.errors)
    }

    /// The standard message of a 401.
    public static let invalidCredentialsMessage = "Invalid or expired authentication token"
}

/// The spec's error body (the schema marked `x-tessera-error`), built by
/// generated code from an error's parts.
public protocol APIErrorBody: JSONEncodable, Sendable {
    static func make(code: String, message: String, correlationID: String, fieldErrors: [FieldError]) -> Self
}
