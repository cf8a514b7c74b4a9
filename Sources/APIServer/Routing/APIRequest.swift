import APIRuntime
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// One request as a generated route sees it: the Hummingbird request, the
/// path parameters its template captured, the parsed query, and the ids
/// and limits of this server; plus the helpers routes use to read the body
/// and write responses.
public struct APIRequest: ClientAddressSource, Sendable {
    /// The Hummingbird request: method, URI, headers and the body stream.
    public let request: Request
    /// The request's correlation id: the client's valid `X-Correlation-ID`, else a new one; every response and log line carries it.
    public let correlationID: String
    let peer: SocketAddress?
    /// The server's logger; log with the correlation id as metadata.
    public let logger: Logger
    /// Parsed once, when the route reads the query.
    public let query: QueryParameters
    let pathValues: [Substring]
    let maxBodySize: Int
    let clientAddresses: ClientAddressPolicy
    /// When the request was routed, in microseconds since 1970 (wall clock).
    public let receivedAt: Int64

    /// The client's IP address: the peer's, or the one a trusted proxy
    /// forwarded (`ClientAddressPolicy`).
    public var clientAddress: String? { clientAddresses.clientAddress(peer: peer, headers: request.headers) }

    /// `clientAddress` as a key to compare, without making text of it
    /// (`ClientAddressPolicy.key`).
    public var clientAddressKey: ClientAddressKey? { clientAddresses.key(peer: peer, headers: request.headers) }

    init(request: Request, pathValues: [Substring], correlationID: String, peer: SocketAddress?, logger: Logger, maxBodySize: Int,
         clientAddresses: ClientAddressPolicy, receivedAt: Int64) {
        self.receivedAt = receivedAt
        self.request = request
        self.pathValues = pathValues
        self.correlationID = correlationID
        self.peer = peer
        self.logger = logger
        self.maxBodySize = maxBodySize
        self.clientAddresses = clientAddresses
        self.query = QueryParameters(query: Substring(request.uri.query ?? ""))
    }

    /// The `index`th path parameter of the template, percent-decoded.
    public func pathParameter(_ index: Int) -> Substring {
        let raw = pathValues[index]
        guard raw.contains("%") else { return raw }
        return Substring(percentDecoded(raw, plusAsSpace: false))
    }

    /// A header's value (several occurrences joined with `,`).
    public func header(_ name: String) -> Substring? {
        guard let field = HTTPField.Name(name) else { return nil }
        let values = request.headers[values: field]
        guard !values.isEmpty else { return nil }
        return Substring(values.joined(separator: ","))
    }

    /// A cookie's value from the `Cookie` header.
    public func cookie(_ name: String) -> Substring? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let trimmed = pair.drop { $0 == " " }
                if let equals = trimmed.firstIndex(of: "="), trimmed[..<equals] == name {
                    return trimmed[trimmed.index(after: equals)...]
                }
            }
        }
        return nil
    }

    /// `style: deepObject` (`filter[status]=open`): the keys and values
    /// under `name`; nil when there are none.
    public func deepObject(_ name: String) -> [String: String]? {
        var result: [String: String] = [:]
        for key in query.names where key.hasPrefix(name + "[") && key.hasSuffix("]") {
            let inner = String(key.dropFirst(name.count + 1).dropLast())
            if let value = query.first(key) { result[inner] = String(value) }
        }
        return result.isEmpty ? nil : result
    }

    // MARK: Body

    /// The body's bytes, refused with 413 past the limit.
    public func bodyBytes() async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodySize {
            throw APIError(.payloadTooLarge, "The request body is larger than \(maxBodySize) bytes.")
        }
        do {
            let buffer = try await request.body.collect(upTo: maxBodySize)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError(.payloadTooLarge, "The request body is larger than \(maxBodySize) bytes.")
        }
    }

    /// Decodes a JSON body: 415 for a non-JSON `Content-Type`, 400 for
    /// malformed JSON, `is required` (field `body`) for a missing required
    /// body, and every schema violation in `errors`, named by its JSON path.
    /// `.some(nil)` means no body was sent and none is required.
    public func jsonBody<T: JSONDecodable>(_ type: T.Type, required: Bool, errors: inout ValidationErrors) async throws -> T?? {
        // Missing but required (already in `errors`), or absent and optional.
        guard let sent = try await rawBody(required: required, errors: &errors) else { return nil }
        guard let bytes = sent else { return .some(nil) }
        let contentType = request.headers[.contentType] ?? ""
        guard Self.isJSON(contentType) else {
            throw APIError(.unsupportedMediaType, contentType.isEmpty
                ? "The request body needs a Content-Type of application/json."
                : "Content-Type '\(contentType)' is not supported here; send application/json.")
        }
        let json: JSON
        do {
            json = try JSON.parse(bytes)
        } catch {
            // Not a field's problem: the body as a whole is refused, so no
            // `errors` list (those name fields that failed validation).
            throw APIError(.badRequest, "The request body is not valid JSON: \(error.description).")
        }
        var bodyErrors = ValidationErrors()
        let value = T(json: json, path: .root, errors: &bodyErrors)
        // Fields are named by their JSON path; the body as a whole is `body`.
        for error in bodyErrors.errors {
            errors.add(error.field.isEmpty ? FieldError(field: "body", message: error.message) : error)
        }
        guard let value else { return nil }
        return .some(value)
    }

    /// A body of a non-JSON media type, as bytes; `.some(nil)` when absent
    /// and not required.
    public func rawBody(required: Bool, errors: inout ValidationErrors) async throws -> [UInt8]?? {
        let bytes = try await bodyBytes()
        if bytes.isEmpty {
            if required {
                errors.add(FieldPath("body"), "is required")
                return nil
            }
            return .some(nil)
        }
        return .some(bytes)
    }

    /// `application/json`, `application/merge-patch+json`, `...+json`, with any parameters.
    public static func isJSON(_ contentType: String) -> Bool {
        let base = contentType.split(separator: ";").first.map { $0.filter { $0 != " " }.lowercased() } ?? ""
        return base == "application/json" || (base.hasPrefix("application/") && base.hasSuffix("+json"))
    }

    // MARK: Context and responses

    /// What the operation's implementation receives besides its input.
    public func operationContext<Principal: Sendable>(_ principal: Principal?) -> OperationContext<Principal> {
        OperationContext(principal: principal, correlationID: correlationID, peer: peer, headers: request.headers, logger: logger,
                         clientAddresses: clientAddresses, receivedAt: receivedAt)
    }

    /// A JSON response.
    public func json<T: JSONEncodable>(status: Int, _ value: T, contentType: String = "application/json", headers: [(String, String?)] = []) -> Response {
        var writer = JSONWriter()
        value.encode(to: &writer)
        return Self.response(status: status, bytes: writer.bytes, contentType: contentType, headers: headers)
    }

    /// A response with a body of another media type.
    public func raw(status: Int, _ bytes: [UInt8], contentType: String, headers: [(String, String?)] = []) -> Response {
        Self.response(status: status, bytes: bytes, contentType: contentType, headers: headers)
    }

    /// A response without a body.
    public func empty(status: Int, headers: [(String, String?)] = []) -> Response {
        Self.response(status: status, bytes: nil, contentType: nil, headers: headers)
    }

    static func response(status: Int, bytes: [UInt8]?, contentType: String?, headers: [(String, String?)]) -> Response {
        var fields = HTTPFields()
        if let contentType { fields[.contentType] = contentType }
        for (name, value) in headers {
            if let value, let field = HTTPField.Name(name) { fields[field] = value }
        }
        let body = bytes.map { ResponseBody(byteBuffer: ByteBuffer(bytes: $0)) } ?? ResponseBody()
        return Response(status: HTTPResponse.Status(code: status), headers: fields, body: body)
    }
}

/// What an operation's implementation gets with its input: who is calling,
/// and the ids to log and answer with.
public struct OperationContext<Principal: Sendable>: ClientAddressSource, Sendable {
    /// The principal the operation's security admitted; nil for operations
    /// open to anonymous callers.
    public let principal: Principal?
    /// The request's correlation id, also in the response's `X-Correlation-ID`.
    public let correlationID: String
    let peer: SocketAddress?
    /// The request's headers, as received.
    public let headers: HTTPFields
    /// The server's logger; add the correlation id to what you log.
    public let logger: Logger
    let clientAddresses: ClientAddressPolicy
    /// When the request was routed, in microseconds since 1970 (wall
    /// clock): a change made after it, the request could not have seen.
    public let receivedAt: Int64

    /// The client's IP address (made into text on demand): the peer's, or
    /// the one a trusted proxy forwarded.
    public var clientAddress: String? { clientAddresses.clientAddress(peer: peer, headers: headers) }

    /// `clientAddress` as a key to compare, without making text of it.
    public var clientAddressKey: ClientAddressKey? { clientAddresses.key(peer: peer, headers: headers) }

    /// A context as the generated routes make it (`APIRequest.operationContext(_:)`); tests may make their own.
    public init(principal: Principal?, correlationID: String, peer: SocketAddress?, headers: HTTPFields, logger: Logger,
                clientAddresses: ClientAddressPolicy = ClientAddressPolicy(), receivedAt: Int64 = WallClock.microseconds()) {
        self.receivedAt = receivedAt
        self.principal = principal
        self.correlationID = correlationID
        self.peer = peer
        self.headers = headers
        self.logger = logger
        self.clientAddresses = clientAddresses
    }
}
