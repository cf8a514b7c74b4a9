import GeneratorDiagnostics

/// The Media Type Object: one entry of a `content` map, describing a body
/// of one content type (`application/json`, `text/plain`, …).
public struct MediaType: Sendable {
    /// The body's schema; nil when the spec gives none, which constrains
    /// nothing: any body of this type is acceptable.
    public var schema: SchemaOrRef?
    /// Example values, as written: `example`, then the `value` of each
    /// entry of `examples`. Documentation only; nothing is checked against them.
    public var examples: [JSONValue] = []
    /// Per-property encoding of form and multipart bodies.
    public var encoding = OrderedDictionary<Encoding>()
    /// The `x-…` keys written on the object, in document order.
    public var extensions = OrderedDictionary<JSONValue>()
    /// Where the object was written, for diagnostics.
    public var source: SourceLocation

    /// An empty media type (no schema, no examples) written at `source`;
    /// the parser fills the rest in.
    public init(source: SourceLocation) {
        self.source = source
    }
}

/// The Encoding Object: how one property of a form
/// (`application/x-www-form-urlencoded`) or `multipart/…` body is written.
public struct Encoding: Sendable {
    /// `contentType`: the property's own media type in a multipart body
    /// (`image/png`, or a comma-separated list); nil for the default that
    /// OpenAPI derives from the property's type.
    public var contentType: String?
    /// `style` of a form property, as for a query parameter; nil when not written.
    public var style: ParameterStyle?
    /// `explode` of a form property; nil when not written (then it follows
    /// `style`, as for a parameter).
    public var explode: Bool?
    /// `allowReserved`: whether RFC 3986 reserved characters are sent
    /// unescaped. False unless written.
    public var allowReserved = false
    /// Headers of a multipart part, by name, in document order.
    public var headers = OrderedDictionary<Referenceable<Header>>()
    /// Where the object was written, for diagnostics.
    public var source: SourceLocation

    /// An encoding with every field at its default, written at `source`.
    public init(source: SourceLocation) {
        self.source = source
    }
}

/// The Request Body Object: what an operation accepts as its body.
public struct RequestBody: Sendable {
    /// `description`: Markdown for readers; nil when not written.
    public var description: String?
    /// Content type (`application/json`) → its media type, in document order.
    public var content = OrderedDictionary<MediaType>()
    /// `required`: whether a request without a body is refused. False unless
    /// written, as OpenAPI specifies (bodies are optional by default).
    public var required = false
    /// The `x-…` keys written on the object, in document order.
    public var extensions = OrderedDictionary<JSONValue>()
    /// Where the object was written, for diagnostics.
    public var source: SourceLocation

    /// An optional body with no content yet, written at `source`.
    public init(source: SourceLocation) {
        self.source = source
    }
}

/// The Response Object: one possible answer of an operation (under a status
/// code, a range such as `4XX`, or `default`).
public struct Response: Sendable {
    /// `description`, required by OpenAPI; `""` when a spec omits it (the
    /// parser warns about that).
    public var description: String
    /// Response headers by name (`Retry-After`), in document order. OpenAPI
    /// says a `Content-Type` entry here is ignored.
    public var headers = OrderedDictionary<Referenceable<Header>>()
    /// Content type → its media type, in document order; empty for a
    /// response without a body (`204`).
    public var content = OrderedDictionary<MediaType>()
    /// The `x-…` keys written on the object, in document order.
    public var extensions = OrderedDictionary<JSONValue>()
    /// Where the object was written, for diagnostics.
    public var source: SourceLocation

    /// A response with `description` and nothing else yet, written at `source`.
    public init(description: String, source: SourceLocation) {
        self.description = description
        self.source = source
    }
}
