import GeneratorDiagnostics

/// A whole OpenAPI 3.0 or 3.1 description, with every `$ref` resolved into
/// the root document's `components` (see `Reference`).
public struct OpenAPIDocument: Sendable {
    /// The OpenAPI minor version, which decides how schemas are read.
    public enum Version: Sendable, Hashable {
        case v3_0, v3_1
    }

    /// `openapi`, as written (`3.1.0`).
    public var openapi: String
    /// The minor version `openapi` names.
    public var version: Version
    /// `info`: title, version and contacts.
    public var info: Info
    /// `jsonSchemaDialect` (3.1): the default `$schema` of every schema.
    public var jsonSchemaDialect: String?
    /// `servers`, in document order.
    public var servers: [Server] = []
    /// Path template → path item, in document order.
    public var paths = OrderedDictionary<PathItem>()
    /// `webhooks` (3.1): name → the requests the API may send.
    public var webhooks = OrderedDictionary<PathItem>()
    /// `components`, which also holds every object a `$ref` reached.
    public var components = Components()
    /// Top-level `security`; nil when absent.
    public var security: [SecurityRequirement]?
    /// `tags`, in document order.
    public var tags: [Tag] = []
    /// Specification extensions (`x-…` fields), in document order.
    public var extensions = OrderedDictionary<JSONValue>()
    /// Where the object starts in its file, for diagnostics.
    public var source: SourceLocation

    /// A document with no paths yet, found at `source`.
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
    /// `title` of the API.
    public var title: String
    /// `version` of the API (not of OpenAPI).
    public var version: String
    /// `summary`: a short description, as written.
    public var summary: String?
    /// `description`, as written (CommonMark).
    public var description: String?
    /// `termsOfService`: a URL.
    public var termsOfService: String?
    /// `contact.name`.
    public var contactName: String?
    /// `contact.url`.
    public var contactURL: String?
    /// `contact.email`.
    public var contactEmail: String?
    /// `license.name`.
    public var licenseName: String?
    /// `license.url`.
    public var licenseURL: String?
    /// Specification extensions (`x-…` fields), in document order.
    public var extensions = OrderedDictionary<JSONValue>()

    /// An `info` with its two required fields.
    public init(title: String, version: String) {
        self.title = title
        self.version = version
    }
}

/// The Server Object.
public struct Server: Sendable {
    /// A Server Variable Object: a `{name}` in the server URL.
    public struct Variable: Sendable {
        /// `default`: the value used when none is chosen.
        public var defaultValue: String
        /// `enum`: the values allowed; empty when any is.
        public var enumValues: [String]
        /// `description`, as written (CommonMark).
        public var description: String?

        /// A variable with its default, allowed values and description.
        public init(defaultValue: String, enumValues: [String], description: String?) {
            self.defaultValue = defaultValue
            self.enumValues = enumValues
            self.description = description
        }
    }

    /// `url`, possibly relative and with `{variables}`.
    public var url: String
    /// `description`, as written (CommonMark).
    public var description: String?
    /// `variables`: name → variable, in document order.
    public var variables = OrderedDictionary<Variable>()
    /// Where the object starts in its file, for diagnostics.
    public var source: SourceLocation

    /// A server at `url`, found at `source`.
    public init(url: String, source: SourceLocation) {
        self.url = url
        self.source = source
    }
}

/// The Tag Object.
public struct Tag: Sendable {
    /// `name` of the tag, as operations list it.
    public var name: String
    /// `description`, as written (CommonMark).
    public var description: String?

    /// A tag with its name and description.
    public init(name: String, description: String?) {
        self.name = name
        self.description = description
    }
}

/// The Components Object, holding every named, reusable object. Each entry
/// may itself be a `$ref` to another entry.
public struct Components: Sendable {
    /// `schemas`: name → schema.
    public var schemas = OrderedDictionary<SchemaOrRef>()
    /// `responses`: name → response.
    public var responses = OrderedDictionary<Referenceable<Response>>()
    /// `parameters`: name → parameter.
    public var parameters = OrderedDictionary<Referenceable<Parameter>>()
    /// `requestBodies`: name → request body.
    public var requestBodies = OrderedDictionary<Referenceable<RequestBody>>()
    /// `headers`: name → header.
    public var headers = OrderedDictionary<Referenceable<Header>>()
    /// `securitySchemes`: name → scheme, as `security` lists name them.
    public var securitySchemes = OrderedDictionary<Referenceable<SecurityScheme>>()
    /// `pathItems` (3.1): name → path item.
    public var pathItems = OrderedDictionary<Referenceable<PathItem>>()

    /// Components with no entries.
    public init() {}
}
