import GeneratorDiagnostics

/// One alternative of a `security` list: every named scheme must be satisfied,
/// each with the listed scopes. An empty requirement (`{}`) means anonymous access.
public struct SecurityRequirement: Sendable, Hashable {
    /// One scheme of the requirement, with the scopes it needs.
    public struct Entry: Sendable, Hashable {
        /// The name of a scheme under `components/securitySchemes`.
        public var scheme: String
        /// The scopes required (OAuth2 and OpenID Connect; roles otherwise).
        public var scopes: [String]
        /// Where the object starts in its file, for diagnostics.
        public var source: SourceLocation

        /// An entry naming `scheme` with `scopes`, found at `source`.
        public init(scheme: String, scopes: [String], source: SourceLocation) {
            self.scheme = scheme
            self.scopes = scopes
            self.source = source
        }
    }

    /// The schemes that must all be satisfied; empty for anonymous access.
    public var entries: [Entry]
    /// Where the object starts in its file, for diagnostics.
    public var source: SourceLocation

    /// A requirement of `entries`, found at `source`.
    public init(entries: [Entry], source: SourceLocation) {
        self.entries = entries
        self.source = source
    }
}

/// The Security Scheme Object.
public struct SecurityScheme: Sendable {
    /// `type`: the kinds of scheme OpenAPI defines.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case apiKey, http, oauth2, openIdConnect, mutualTLS
    }

    /// `type`.
    public var kind: Kind
    /// `description`, as written (CommonMark).
    public var description: String?
    /// `apiKey`: the header, query or cookie name, and where it travels.
    public var name: String?
    /// `in` (`apiKey`): header, query or cookie.
    public var location: ParameterLocation?
    /// `http`: `bearer`, `basic`, ... and an optional bearer format hint.
    public var scheme: String?
    /// `bearerFormat` (`http` with `bearer`): a hint such as `JWT`.
    public var bearerFormat: String?
    /// `oauth2`: every scope any flow declares, name → description.
    public var scopes = OrderedDictionary<String>()
    /// `openIdConnectUrl` (`openIdConnect`): where its configuration is.
    public var openIdConnectURL: String?
    /// Specification extensions (`x-…` fields), in document order.
    public var extensions = OrderedDictionary<JSONValue>()
    /// Where the object starts in its file, for diagnostics.
    public var source: SourceLocation

    /// A scheme of `kind`, found at `source`.
    public init(kind: Kind, source: SourceLocation) {
        self.kind = kind
        self.source = source
    }
}
