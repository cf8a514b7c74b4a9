import GeneratorDiagnostics

/// The Media Type Object: one entry of a `content` map.
public struct MediaType: Sendable {
    public var schema: SchemaOrRef?
    public var examples: [JSONValue] = []
    /// Per-property encoding of form and multipart bodies.
    public var encoding = OrderedDictionary<Encoding>()
    public var extensions = OrderedDictionary<JSONValue>()
    public var source: SourceLocation

    public init(source: SourceLocation) {
        self.source = source
    }
}

/// The Encoding Object (form and multipart bodies).
public struct Encoding: Sendable {
    public var contentType: String?
    public var style: ParameterStyle?
    public var explode: Bool?
    public var allowReserved = false
    public var headers = OrderedDictionary<Referenceable<Header>>()
    public var source: SourceLocation

    public init(source: SourceLocation) {
        self.source = source
    }
}

/// The Request Body Object.
public struct RequestBody: Sendable {
    public var description: String?
    /// Content type (`application/json`) → its media type, in document order.
    public var content = OrderedDictionary<MediaType>()
    public var required = false
    public var extensions = OrderedDictionary<JSONValue>()
    public var source: SourceLocation

    public init(source: SourceLocation) {
        self.source = source
    }
}

/// The Response Object.
public struct Response: Sendable {
    public var description: String
    public var headers = OrderedDictionary<Referenceable<Header>>()
    public var content = OrderedDictionary<MediaType>()
    public var extensions = OrderedDictionary<JSONValue>()
    public var source: SourceLocation

    public init(description: String, source: SourceLocation) {
        self.description = description
        self.source = source
    }
}
