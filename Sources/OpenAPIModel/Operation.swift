import GeneratorDiagnostics

/// The HTTP methods a Path Item may hold, in OpenAPI's order.
public enum HTTPMethod: String, Sendable, Hashable, CaseIterable {
    /// One case per method key of a Path Item, spelled in lowercase as the
    /// spec must write it (`get:`); the raw value is that key.
    case get, put, post, delete, options, head, patch, trace
}

/// The Operation Object, with the path and method it is found under.
public struct OpenAPIOperation: Sendable {
    /// The method key the operation is written under.
    public var method: HTTPMethod
    /// The path template it is written under, as written (`/tokens/{token_id}`).
    public var path: String
    /// `operationId`: the unique name generated code derives its method and
    /// type names from; nil when not written (a name is then made from the
    /// method and path).
    public var operationId: String?
    /// `summary`: one line; nil when not written.
    public var summary: String?
    /// `description`: Markdown; nil when not written.
    public var description: String?
    /// `tags`, in order; empty when not written.
    public var tags: [String] = []
    /// Operation-level parameters only; the path item's `parameters` apply
    /// too, and one here overrides a path-level one with the same name and
    /// location (the translator merges them).
    public var parameters: [Referenceable<Parameter>] = []
    /// `requestBody`; nil when the operation takes none.
    public var requestBody: Referenceable<RequestBody>?
    /// Status (`200`, `4XX`, `default`) → response, in document order.
    public var responses = OrderedDictionary<Referenceable<Response>>()
    /// nil: the document's `security` applies. `[]`: no security.
    public var security: [SecurityRequirement]?
    /// `deprecated`; false unless written.
    public var deprecated = false
    /// `servers` that replace the document's for this operation; empty when
    /// not written.
    public var servers: [Server] = []
    /// The `x-…` keys written on the operation, in document order.
    public var extensions = OrderedDictionary<JSONValue>()
    /// Where the method key stands, which is where diagnostics about the
    /// whole operation point.
    public var source: SourceLocation

    /// An operation with no parameters, body or responses yet.
    public init(method: HTTPMethod, path: String, source: SourceLocation) {
        self.method = method
        self.path = path
        self.source = source
    }
}

/// The Path Item Object: the operations under one path template, and what
/// they share.
public struct PathItem: Sendable {
    /// `summary`, for every operation of the path; nil when not written.
    public var summary: String?
    /// `description`: Markdown; nil when not written.
    public var description: String?
    /// Parameters every operation of the path has, unless an operation
    /// declares one with the same name and location.
    public var parameters: [Referenceable<Parameter>] = []
    /// The operations in document order.
    public var operations: [OpenAPIOperation] = []
    /// `servers` that replace the document's for this path; empty when not written.
    public var servers: [Server] = []
    /// The `x-…` keys written on the path item, in document order.
    public var extensions = OrderedDictionary<JSONValue>()
    /// Where the path's key stands (for a `$ref`'d path item, too).
    public var source: SourceLocation

    /// A path item with no operations yet.
    public init(source: SourceLocation) {
        self.source = source
    }
}
