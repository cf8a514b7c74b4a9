import GeneratorDiagnostics

/// The HTTP methods a Path Item may hold, in OpenAPI's order.
public enum HTTPMethod: String, Sendable, Hashable, CaseIterable {
    case get, put, post, delete, options, head, patch, trace
}

/// The Operation Object, with the path and method it is found under.
public struct OpenAPIOperation: Sendable {
    public var method: HTTPMethod
    public var path: String
    public var operationId: String?
    public var summary: String?
    public var description: String?
    public var tags: [String] = []
    /// Operation-level parameters only; `PathItem.parameters` apply too
    /// (see `OpenAPIDocument.effectiveParameters`).
    public var parameters: [Referenceable<Parameter>] = []
    public var requestBody: Referenceable<RequestBody>?
    /// Status (`200`, `4XX`, `default`) → response, in document order.
    public var responses = OrderedDictionary<Referenceable<Response>>()
    /// nil: the document's `security` applies. `[]`: no security.
    public var security: [SecurityRequirement]?
    public var deprecated = false
    public var servers: [Server] = []
    public var extensions = OrderedDictionary<JSONValue>()
    public var source: SourceLocation

    public init(method: HTTPMethod, path: String, source: SourceLocation) {
        self.method = method
        self.path = path
        self.source = source
    }
}

/// The Path Item Object.
public struct PathItem: Sendable {
    public var summary: String?
    public var description: String?
    public var parameters: [Referenceable<Parameter>] = []
    /// The operations in document order.
    public var operations: [OpenAPIOperation] = []
    public var servers: [Server] = []
    public var extensions = OrderedDictionary<JSONValue>()
    public var source: SourceLocation

    public init(source: SourceLocation) {
        self.source = source
    }
}
