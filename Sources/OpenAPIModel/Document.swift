import GeneratorDiagnostics

/// A whole OpenAPI 3.0 or 3.1 description, with every `$ref` resolved into
/// the root document's `components` (see `Reference`).
public struct OpenAPIDocument: Sendable {
    public enum Version: Sendable, Hashable {
        case v3_0, v3_1
    }

    /// `openapi`, as written (`3.1.0`).
    public var openapi: String
    public var version: Version
    public var info: Info
    public var jsonSchemaDialect: String?
    public var servers: [Server] = []
    /// Path template → path item, in document order.
    public var paths = OrderedDictionary<PathItem>()
    public var webhooks = OrderedDictionary<PathItem>()
    public var components = Components()
    /// Top-level `security`; nil when absent.
    public var security: [SecurityRequirement]?
    public var tags: [Tag] = []
    public var extensions = OrderedDictionary<JSONValue>()
    public var source: SourceLocation

    public init(openapi: String, version: Version, info: Info, source: SourceLocation) {
        self.openapi = openapi
        self.version = version
        self.info = info
        self.source = source
    }

    /// Every operation under `paths`, in document order.
    public var operations: [OpenAPIOperation] {
        paths.values.flatMap(\.operations)
    }
}

/// The Info Object.
public struct Info: Sendable {
    public var title: String
    public var version: String
    public var summary: String?
    public var description: String?
    public var termsOfService: String?
    public var contactName: String?
    public var contactURL: String?
    public var contactEmail: String?
    public var licenseName: String?
    public var licenseURL: String?
    public var extensions = OrderedDictionary<JSONValue>()

    public init(title: String, version: String) {
        self.title = title
        self.version = version
    }
}

/// The Server Object.
public struct Server: Sendable {
    public struct Variable: Sendable {
        public var defaultValue: String
        public var enumValues: [String]
        public var description: String?

        public init(defaultValue: String, enumValues: [String], description: String?) {
            self.defaultValue = defaultValue
            self.enumValues = enumValues
            self.description = description
        }
    }

    public var url: String
    public var description: String?
    public var variables = OrderedDictionary<Variable>()
    public var source: SourceLocation

    public init(url: String, source: SourceLocation) {
        self.url = url
        self.source = source
    }
}

/// The Tag Object.
public struct Tag: Sendable {
    public var name: String
    public var description: String?

    public init(name: String, description: String?) {
        self.name = name
        self.description = description
    }
}

/// The Components Object, holding every named, reusable object. Each entry
/// may itself be a `$ref` to another entry.
public struct Components: Sendable {
    public var schemas = OrderedDictionary<SchemaOrRef>()
    public var responses = OrderedDictionary<Referenceable<Response>>()
    public var parameters = OrderedDictionary<Referenceable<Parameter>>()
    public var requestBodies = OrderedDictionary<Referenceable<RequestBody>>()
    public var headers = OrderedDictionary<Referenceable<Header>>()
    public var securitySchemes = OrderedDictionary<Referenceable<SecurityScheme>>()
    public var pathItems = OrderedDictionary<Referenceable<PathItem>>()

    public init() {}
}
