import GeneratorDiagnostics

/// One alternative of a `security` list: every named scheme must be satisfied,
/// each with the listed scopes. An empty requirement (`{}`) means anonymous access.
public struct SecurityRequirement: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var scheme: String
        public var scopes: [String]
        public var source: SourceLocation

        public init(scheme: String, scopes: [String], source: SourceLocation) {
            self.scheme = scheme
            self.scopes = scopes
            self.source = source
        }
    }

    public var entries: [Entry]
    public var source: SourceLocation

    public init(entries: [Entry], source: SourceLocation) {
        self.entries = entries
        self.source = source
    }
}

/// The Security Scheme Object.
public struct SecurityScheme: Sendable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case apiKey, http, oauth2, openIdConnect, mutualTLS
    }

    public var kind: Kind
    public var description: String?
    /// `apiKey`: the header, query or cookie name, and where it travels.
    public var name: String?
    public var location: ParameterLocation?
    /// `http`: `bearer`, `basic`, ... and an optional bearer format hint.
    public var scheme: String?
    public var bearerFormat: String?
    /// `oauth2`: every scope any flow declares, name → description.
    public var scopes = OrderedDictionary<String>()
    public var openIdConnectURL: String?
    public var extensions = OrderedDictionary<JSONValue>()
    public var source: SourceLocation

    public init(kind: Kind, source: SourceLocation) {
        self.kind = kind
        self.source = source
    }
}
