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
    public var name: String
    public var location: ParameterLocation
    public var description: String?
    public var required: Bool
    public var deprecated = false
    public var allowEmptyValue = false
    public var style: ParameterStyle
    /// `explode`, defaulted per OpenAPI: true for `form`, false otherwise.
    public var explode: Bool
    public var allowReserved = false
    /// The schema, from `schema` or from the single entry of `content`.
    public var schema: SchemaOrRef?
    /// `content` (rare): media type → its schema, instead of `schema`.
    public var content = OrderedDictionary<MediaType>()
    public var examples: [JSONValue] = []
    public var extensions = OrderedDictionary<JSONValue>()
    public var source: SourceLocation

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
    public var description: String?
    public var required = false
    public var deprecated = false
    public var style: ParameterStyle = .simple
    public var explode = false
    public var schema: SchemaOrRef?
    public var content = OrderedDictionary<MediaType>()
    public var extensions = OrderedDictionary<JSONValue>()
    public var source: SourceLocation

    public init(source: SourceLocation) {
        self.source = source
    }
}
