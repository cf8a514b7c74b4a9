import GeneratorDiagnostics

/// A whole OpenAPI 3.0 or 3.1 description, with every `$ref` resolved into
/// the root document's `components` (see `Reference`).
///
/// It is a plain value: the parser (`OpenAPIParser`) builds it from YAML or
/// JSON and checks it; the translator reads it. Every object keeps the
/// `source` it was written at, so later stages can point diagnostics at the
/// spec's line.
public struct OpenAPIDocument: Sendable {
    /// The OpenAPI dialect, from the `openapi` field's minor version. The
    /// two differ in how schemas say `nullable`, `exclusiveMinimum` and
    /// `examples`; the model holds both the same way (see `Schema`).
    public enum Version: Sendable, Hashable {
        /// `3.0.x`: schemas are OpenAPI's extended subset of JSON Schema draft 4/5.
        /// `3.1.x` (and any later `3.x`, read as 3.1): schemas are JSON Schema 2020-12.
        case v3_0, v3_1
    }

    /// `openapi`, as written (`3.1.0`).
    public var openapi: String
    /// The dialect `openapi` names.
    public var version: Version
    /// `info`: the API's title, version and contacts.
    public var info: Info
    /// `jsonSchemaDialect` (3.1): the default `$schema` of the document's
    /// schemas; nil when not written. Recorded, not acted on.
    public var jsonSchemaDialect: String?
    /// `servers`: where the API is served, in order; empty when not written
    /// (OpenAPI then assumes `/`).
    public var servers: [Server] = []
    /// Path template → path item, in document order.
    public var paths = OrderedDictionary<PathItem>()
    /// `webhooks` (3.1): name → the requests the API itself sends, in
    /// document order. Not part of ``operations``.
    public var webhooks = OrderedDictionary<PathItem>()
    /// `components`, holding every schema, response, parameter and the like
    /// that a `$ref` points to, including those bundled in from other files.
    public var components = Components()
    /// Top-level `security`; nil when absent.
    public var security: [SecurityRequirement]?
    /// `tags`: names with descriptions, in document order; operations may
    /// use tags not listed here.
    public var tags: [Tag] = []
    /// The `x-…` keys written at the top level, in document order.
    public var extensions = OrderedDictionary<JSONValue>()
    /// Where the root object starts, for diagnostics about the whole document.
    public var source: SourceLocation

    /// A document with no paths or components yet; the parser fills the rest in.
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

/// The Info Object: metadata about the API, for readers and generated
/// documentation. Contact and license are flattened into optional fields.
public struct Info: Sendable {
    /// `title`, required by OpenAPI; `""` when a spec omits it (the parser
    /// reports that).
    public var title: String
    /// `version`: the version of the API description (not of OpenAPI),
    /// required; `""` when omitted.
    public var version: String
    /// `summary` (3.1): one line about the API; nil when not written.
    public var summary: String?
    /// `description`: Markdown about the API; nil when not written.
    public var description: String?
    /// `termsOfService`: a URL, as written; nil when not written.
    public var termsOfService: String?
    /// `contact.name`; nil when not written.
    public var contactName: String?
    /// `contact.url`, as written; nil when not written.
    public var contactURL: String?
    /// `contact.email`; nil when not written.
    public var contactEmail: String?
    /// `license.name`; nil when there is no license.
    public var licenseName: String?
    /// `license.url`, as written; nil when not written.
    public var licenseURL: String?
    /// The `x-…` keys written on `info`, in document order.
    public var extensions = OrderedDictionary<JSONValue>()

    /// Info with a title and version and nothing else.
    public init(title: String, version: String) {
        self.title = title
        self.version = version
    }
}

/// The Server Object: one base URL the API is served at.
public struct Server: Sendable {
    /// A Server Variable Object: a `{name}` in the URL template.
    public struct Variable: Sendable {
        /// `default`: the value used when none is chosen (required by OpenAPI).
        public var defaultValue: String
        /// `enum`: the allowed values; empty when any value is allowed.
        public var enumValues: [String]
        /// `description`; nil when not written.
        public var description: String?

        /// A variable with its default, allowed values and description.
        public init(defaultValue: String, enumValues: [String], description: String?) {
            self.defaultValue = defaultValue
            self.enumValues = enumValues
            self.description = description
        }
    }

    /// `url`: absolute, or relative to where the document was served, with
    /// `{variable}` placeholders unexpanded (`https://{region}.example.com/v1`).
    public var url: String
    /// `description`; nil when not written.
    public var description: String?
    /// The variables of `url`, by name, in document order.
    public var variables = OrderedDictionary<Variable>()
    /// Where the object was written, for diagnostics.
    public var source: SourceLocation

    /// A server at `url` without variables.
    public init(url: String, source: SourceLocation) {
        self.url = url
        self.source = source
    }
}

/// The Tag Object: a name operations can be grouped under, with its text.
public struct Tag: Sendable {
    /// `name`, as operations' `tags` spell it.
    public var name: String
    /// `description`: Markdown; nil when not written.
    public var description: String?

    /// A tag with its name and description.
    public init(name: String, description: String?) {
        self.name = name
        self.description = description
    }
}

/// The Components Object, holding every named, reusable object. Each entry
/// may itself be a `$ref` to another entry.
///
/// Keys are component names (`Token`), in document order; objects that
/// `$ref`s reach in other files are added here under a free name by the
/// parser, so every ``Reference`` resolves within these maps. `examples`,
/// `links` and `callbacks` are not kept: nothing generated reads them.
public struct Components: Sendable {
    /// `components/schemas`: data models, by name.
    public var schemas = OrderedDictionary<SchemaOrRef>()
    /// `components/responses`: reusable responses, by name.
    public var responses = OrderedDictionary<Referenceable<Response>>()
    /// `components/parameters`: reusable parameters, by name (not the
    /// parameter's own `name`).
    public var parameters = OrderedDictionary<Referenceable<Parameter>>()
    /// `components/requestBodies`: reusable request bodies, by name.
    public var requestBodies = OrderedDictionary<Referenceable<RequestBody>>()
    /// `components/headers`: reusable headers, by name.
    public var headers = OrderedDictionary<Referenceable<Header>>()
    /// `components/securitySchemes`: by the name `security` requirements use.
    public var securitySchemes = OrderedDictionary<Referenceable<SecurityScheme>>()
    /// `components/pathItems` (3.1): reusable path items, by name.
    public var pathItems = OrderedDictionary<Referenceable<PathItem>>()

    /// Empty components.
    public init() {}
}
