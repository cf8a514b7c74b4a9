import GeneratorDiagnostics

/// The Media Type Object: one entry of a `content` map.
public struct MediaType: Sendable {
    /// `schema`: the shape of the body or value.
    public var schema: SchemaOrRef?
    /// `example` or the values of `examples`, in document order.
    public var examples: [JSONValue] = []
    /// Per-property encoding of form and multipart bodies.
    public var encoding = OrderedDictionary<Encoding>()
    /// Specification extensions (`x-…` fields), in document order.
    public var extensions = OrderedDictionary<JSONValue>()
    /// Where the object starts in its file, for diagnostics.
    public var source: SourceLocation

    /// An object found at `source`, its fields to be filled in by the parser.
    public init(source: SourceLocation) {
        self.source = source
    }
}

/// The Encoding Object (form and multipart bodies).
public struct Encoding: Sendable {
    /// `contentType`: the media type of this property's part.
    public var contentType: String?
    /// `style`: how the property is serialized in a form body.
    public var style: ParameterStyle?
    /// `explode`: whether arrays and objects give one pair per value.
    public var explode: Bool?
    /// `allowReserved`: whether reserved characters are sent unencoded.
    public var allowReserved = false
    /// `headers`: header name → header, in document order.
    public var headers = OrderedDictionary<Referenceable<Header>>()
    /// Where the object starts in its file, for diagnostics.
    public var source: SourceLocation

    /// An object found at `source`, its fields to be filled in by the parser.
    public init(source: SourceLocation) {
        self.source = source
    }
}

/// The Request Body Object.
public struct RequestBody: Sendable {
    /// `description`, as written (CommonMark).
    public var description: String?
    /// Content type (`application/json`) → its media type, in document order.
    public var content = OrderedDictionary<MediaType>()
    /// `required`: whether a request must carry a body.
    public var required = false
    /// Specification extensions (`x-…` fields), in document order.
    public var extensions = OrderedDictionary<JSONValue>()
    /// Where the object starts in its file, for diagnostics.
    public var source: SourceLocation

    /// An object found at `source`, its fields to be filled in by the parser.
    public init(source: SourceLocation) {
        self.source = source
    }
}

/// The Response Object.
public struct Response: Sendable {
    /// `description`, which every response must have.
    public var description: String
    /// `headers`: header name → header, in document order.
    public var headers = OrderedDictionary<Referenceable<Header>>()
    /// `content`: content type → media type, in document order.
    public var content = OrderedDictionary<MediaType>()
    /// Specification extensions (`x-…` fields), in document order.
    public var extensions = OrderedDictionary<JSONValue>()
    /// Where the object starts in its file, for diagnostics.
    public var source: SourceLocation

    /// A response with its `description`, found at `source`.
    public init(description: String, source: SourceLocation) {
        self.description = description
        self.source = source
    }
}
