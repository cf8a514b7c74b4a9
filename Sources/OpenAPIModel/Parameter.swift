import GeneratorDiagnostics

/// Where a parameter travels (`in`).
public enum ParameterLocation: String, Sendable, Hashable, CaseIterable {
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
    case matrix, label, form, simple, spaceDelimited, pipeDelimited, deepObject
}

/// The Parameter Object.
public struct Parameter: Sendable {
    /// `name`, as the request spells it.
    public var name: String
    /// `in`: path, query, header or cookie.
    public var location: ParameterLocation
    /// `description`, as written (CommonMark).
    public var description: String?
    /// `required` (always true in the path).
    public var required: Bool
    /// `deprecated`.
    public var deprecated = false
    /// `allowEmptyValue` (query only): whether `?name=` is accepted.
    public var allowEmptyValue = false
    /// `style`, or the location's default when none is written.
    public var style: ParameterStyle
    /// `explode`, defaulted per OpenAPI: true for `form`, false otherwise.
    public var explode: Bool
    /// `allowReserved` (query only): whether reserved characters are sent unencoded.
    public var allowReserved = false
    /// The schema, from `schema` or from the single entry of `content`.
    public var schema: SchemaOrRef?
    /// `content` (rare): media type → its schema, instead of `schema`.
    public var content = OrderedDictionary<MediaType>()
    /// `example` or the values of `examples`, in document order.
    public var examples: [JSONValue] = []
    /// Specification extensions (`x-…` fields), in document order.
    public var extensions = OrderedDictionary<JSONValue>()
    /// Where the object starts in its file, for diagnostics.
    public var source: SourceLocation

    /// A parameter with its required fields, found at `source`.
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
    /// `description`, as written (CommonMark).
    public var description: String?
    /// `required`.
    public var required = false
    /// `deprecated`.
    public var deprecated = false
    /// `style`: always `simple` for headers.
    public var style: ParameterStyle = .simple
    /// `explode`: whether arrays and objects give one value per item.
    public var explode = false
    /// `schema` of the value (or `content` instead).
    public var schema: SchemaOrRef?
    /// `content`: the one media type the value is written in, instead of `schema`.
    public var content = OrderedDictionary<MediaType>()
    /// Specification extensions (`x-…` fields), in document order.
    public var extensions = OrderedDictionary<JSONValue>()
    /// Where the object starts in its file, for diagnostics.
    public var source: SourceLocation

    /// An object found at `source`, its fields to be filled in by the parser.
    public init(source: SourceLocation) {
        self.source = source
    }
}
