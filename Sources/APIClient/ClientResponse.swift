import APIRuntime

/// One response as a transport received it: status, headers and body bytes.
public struct ClientResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// Header names and values, in order.
    public var headers: [(name: String, value: String)]
    /// The body's bytes; empty when there was none.
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header named `name` (case-insensitive); several of them
    /// are joined with `,`, as the server side reads them.
    public func header(_ name: String) -> String? {
        let values = headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ",")
    }

    /// The `Content-Type` header, or "" when there is none.
    public var contentType: String { header("Content-Type") ?? "" }

    // MARK: Reading (called by generated code)

    /// The body decoded and validated as `T` by the same rules the server
    /// applies to requests; throws `APIClientError` naming the operation,
    /// the status and every invalid field's path.
    public func json<T: JSONDecodable>(_ type: T.Type, operation: String) throws(APIClientError) -> T {
        let media = contentType
        if !media.isEmpty, !Self.isJSON(media) {
            throw APIClientError(.unexpectedContentType, operation: operation, status: status,
                                 message: "Content-Type '\(media)' is not JSON")
        }
        let json: JSON
        do {
            json = try JSON.parse(body.isEmpty && T.self is ExpressibleByNilLiteral.Type ? Array("null".utf8) : body)
        } catch {
            throw APIClientError(.invalidJSON, operation: operation, status: status, message: error.description)
        }
        var errors = ValidationErrors()
        guard let value = T(json: json, path: .root, errors: &errors), errors.isEmpty else {
            throw APIClientError(invalid: errors, operation: operation, status: status)
        }
        return value
    }

    /// `value` after `check` found nothing wrong with it (the schema's own
    /// rules on the body as a whole: `maxItems` on a top-level array…).
    public func checked<T>(_ value: T, operation: String, _ check: (T, inout ValidationErrors) -> Void) throws(APIClientError) -> T {
        var errors = ValidationErrors()
        check(value, &errors)
        guard errors.isEmpty else { throw APIClientError(invalid: errors, operation: operation, status: status) }
        return value
    }

    /// The error for a status the operation does not document.
    public func undocumented(operation: String) -> APIClientError {
        let preview = String(decoding: body.prefix(200), as: UTF8.self)
        return APIClientError(.undocumentedStatus, operation: operation, status: status,
                              message: preview.isEmpty ? "no body" : "body: \(preview)")
    }

    static func isJSON(_ contentType: String) -> Bool {
        let base = contentType.split(separator: ";").first.map { $0.filter { $0 != " " }.lowercased() } ?? ""
        return base == "application/json" || (base.hasPrefix("application/") && base.hasSuffix("+json"))
    }
}
