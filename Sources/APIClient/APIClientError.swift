import APIRuntime

/// Why a generated client could not give an operation's typed output: the
/// server answered something its contract does not allow. Documented error
/// statuses are not this error; they are cases of the operation's `Output`.
///
/// The description names the operation, the status and what was wrong:
/// `getToken: the 200 response is invalid: token.token_id must be a UUID`.
public struct APIClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// The status is not one the operation documents.
        case undocumentedStatus
        /// The body is not JSON (`message` says where).
        case invalidJSON
        /// The body is JSON that violates the response's schema (`fieldErrors` say where).
        case invalidBody
        /// The response's `Content-Type` is not the documented JSON.
        case unexpectedContentType
    }

    public var kind: Kind
    /// The spec's operationId.
    public var operation: String
    /// The status the server answered.
    public var status: Int
    /// For `invalidBody`: every invalid field, by its path in the body.
    public var fieldErrors: [FieldError]
    /// What was wrong, for the other kinds.
    public var message: String

    public init(_ kind: Kind, operation: String, status: Int, message: String, fieldErrors: [FieldError] = []) {
        self.kind = kind
        self.operation = operation
        self.status = status
        self.message = message
        self.fieldErrors = fieldErrors
    }

    /// An `invalidBody` error listing `errors`.
    public init(invalid errors: ValidationErrors, operation: String, status: Int) {
        let fields = errors.errors.map { $0.field.isEmpty ? "the body \($0.message)" : "\($0.field) \($0.message)" }
        self.init(.invalidBody, operation: operation, status: status, message: fields.joined(separator: "; "), fieldErrors: errors.errors)
    }

    public var description: String {
        switch kind {
        case .undocumentedStatus: return "\(operation): status \(status) is not documented (\(message))"
        case .invalidJSON: return "\(operation): the \(status) response is not valid JSON: \(message)"
        case .invalidBody: return "\(operation): the \(status) response is invalid: \(message)"
        case .unexpectedContentType: return "\(operation): the \(status) response is not the documented JSON: \(message)"
        }
    }
}
