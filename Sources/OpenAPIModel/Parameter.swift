import GeneratorDiagnostics

/// Where a parameter travels (`in`).
public enum ParameterLocation: String, Sendable, Hashable, CaseIterable {
    /// `path`: a `{name}` segment of the path template (always required);
    /// `query`: the URL's query string; `header`: a request header (names
    /// compare case-insensitively); `cookie`: a `Cookie` header entry.
    case path, query, header, cookie

    /// The serialization style OpenAPI assumes when none is written.
    public var defaultStyle: ParameterStyle {
        switch self {
        case .path, .header: .simple
        case .query, .cookie: .form
        }
    }

    /// The styles OpenAPI allows at this location.
    public var allowedStyles: Set<ParameterStyle> {
        switch self {
        case .path: [.matrix, .label, .simple]
        case .query: [.form, .spaceDelimited, .pipeDelimited, .deepObject]
        case .header: [.simple]
        case .cookie: [.form]
        }
    }
}

/// How arrays and objects are written in a parameter (`style`).
public enum ParameterStyle: String, Sendable, Hashable, CaseIterable {
    /// The OpenAPI styles, for an array `[3, 4]` named `id`: `matrix` is
    /// `;id=3,4`, `label` is `.3.4`, `form` is `id=3,4` (or `id=3&id=4`
    /// exploded), `simple` is `3,4`, `spaceDelimited` is `id=3%204`,
    /// `pipeDelimited` is `id=3|4`; `deepObject` writes an object's members
    /// as `id[key]=value`.
    case matrix, label, form, simple, spaceDelimited, pipeDelimited, deepObject
}

/// The Parameter Object: one path, query, header or cookie parameter.
public struct Parameter: Sendable {
    /// `name`: case-sensitive, except for headers; for a path parameter, the
    /// `{name}` in the path template.
    public var name: String
    /// `in`: where the parameter travels.
    public var location: ParameterLocation
    /// `description`: Markdown; nil when not written.
    public var description: String?
    /// `required`: whether a request without it is refused; false unless
    /// written. A path parameter must say `required: true` (the parser
    /// reports an error otherwise).
    public var required: Bool
    /// `deprecated`; false unless written.
    public var deprecated = false
    /// `allowEmptyValue`: whether `?name=` (an empty value) is meaningful;
    /// query parameters only, deprecated by OpenAPI. False unless written.
    public var allowEmptyValue = false
    /// `style`, defaulted per location when not written (``ParameterLocation/defaultStyle``).
    public var style: ParameterStyle
    /// `explode`, defaulted per OpenAPI: true for `form`, false otherwise.
    public var explode: Bool
    /// `allowReserved`: whether RFC 3986 reserved characters may appear
    /// unescaped in a query value. False unless written.
    public var allowReserved = false
    /// The schema, from `schema` or from the single entry of `content`.
    public var schema: SchemaOrRef?
    /// `content` (rare): media type → its schema, instead of `schema`.
    public var content = OrderedDictionary<MediaType>()
    /// Example values: `example`, then the `value` of each entry of
    /// `examples`. Documentation only.
    public var examples: [JSONValue] = []
    /// The `x-…` keys written on the parameter, in document order.
    public var extensions = OrderedDictionary<JSONValue>()
    /// Where the object was written, for diagnostics.
    public var source: SourceLocation

    /// A parameter with its identity and serialization; the parser fills the rest in.
    public init(name: String, location: ParameterLocation, required: Bool, style: ParameterStyle, explode: Bool, source: SourceLocation) {
        self.name = name
        self.location = location
        self.required = required
        self.style = style
        self.explode = explode
        self.source = source
    }
}

/// The Header Object: a parameter whose name is its key and whose location is `header`.
public struct Header: Sendable {
    /// `description`: Markdown; nil when not written.
    public var description: String?
    /// `required`: whether the header must be present. False unless written.
    public var required = false
    /// `deprecated`; false unless written.
    public var deprecated = false
    /// `style`: always `simple` for a header.
    public var style: ParameterStyle = .simple
    /// `explode`: for an object-valued header, whether members are written
    /// `key=value` rather than `key,value`. False unless written.
    public var explode = false
    /// The schema, from `schema` or from the single entry of `content`.
    public var schema: SchemaOrRef?
    /// `content` (rare): media type → its schema, instead of `schema`.
    public var content = OrderedDictionary<MediaType>()
    /// The `x-…` keys written on the header, in document order.
    public var extensions = OrderedDictionary<JSONValue>()
    /// Where the object was written, for diagnostics.
    public var source: SourceLocation

    /// An optional header with a default serialization, written at `source`.
    public init(source: SourceLocation) {
        self.source = source
    }
}
