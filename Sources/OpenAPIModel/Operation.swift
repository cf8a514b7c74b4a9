import GeneratorDiagnostics

/// The HTTP methods a Path Item may hold, in OpenAPI's order.
public enum HTTPMethod: String, Sendable, Hashable, CaseIterable {
    case get, put, post, delete, options, head, patch, trace
}

/// The Operation Object, with the path and method it is found under.
public struct OpenAPIOperation: Sendable {
    /// The HTTP method, the key the operation stands under in its path item.
    public var method: HTTPMethod
    /// The path template it stands under, `/tokens/{token_id}`.
    public var path: String
    /// `operationId`: the unique name generated code uses.
    public var operationId: String?
    /// `summary`: a short description, as written.
    public var summary: String?
    /// `description`, as written (CommonMark).
    public var description: String?
    /// `tags`, by name.
    public var tags: [String] = []
    /// Operation-level parameters only; `PathItem.parameters` apply too
    /// (see `OpenAPIDocument.effectiveParameters`).
    public var parameters: [Referenceable<Parameter>] = []
    /// `requestBody`, or a `$ref` to one.
    public var requestBody: Referenceable<RequestBody>?
    /// Status (`200`, `4XX`, `default`) → response, in document order.
    public var responses = OrderedDictionary<Referenceable<Response>>()
    /// nil: the document's `security` applies. `[]`: no security.
    public var security: [SecurityRequirement]?
    /// `deprecated`.
    public var deprecated = false
    /// `servers` that override the document's for this path or operation.
    public var servers: [Server] = []
    /// Specification extensions (`x-…` fields), in document order.
    public var extensions = OrderedDictionary<JSONValue>()
    /// Where the object starts in its file, for diagnostics.
    public var source: SourceLocation

    /// An operation for `method` on `path`, found at `source`.
    public init(method: HTTPMethod, path: String, source: SourceLocation) {
        self.method = method
        self.path = path
        self.source = source
    }
}

/// The Path Item Object.
public struct PathItem: Sendable {
    /// `summary`: a short description, as written.
    public var summary: String?
    /// `description`, as written (CommonMark).
    public var description: String?
    /// `parameters` shared by every operation of the path.
    public var parameters: [Referenceable<Parameter>] = []
    /// The operations in document order.
    public var operations: [OpenAPIOperation] = []
    /// `servers` that override the document's for this path or operation.
    public var servers: [Server] = []
    /// Specification extensions (`x-…` fields), in document order.
    public var extensions = OrderedDictionary<JSONValue>()
    /// Where the object starts in its file, for diagnostics.
    public var source: SourceLocation

    /// An object found at `source`, its fields to be filled in by the parser.
    public init(source: SourceLocation) {
        self.source = source
    }
}
