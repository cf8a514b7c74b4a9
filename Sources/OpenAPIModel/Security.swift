import GeneratorDiagnostics

/// One alternative of a `security` list: every named scheme must be satisfied,
/// each with the listed scopes. An empty requirement (`{}`) means anonymous access.
///
/// A `security` list is satisfied when any one of its requirements is:
///
/// ```yaml
/// security:
///   - bearerAuth: []            # either a bearer token…
///   - apiKey: []                # …or an API key together with
///     clientCert: []            #    a client certificate
/// ```
public struct SecurityRequirement: Sendable, Hashable {
    /// One scheme of a requirement, with its scopes.
    public struct Entry: Sendable, Hashable {
        /// The scheme's name in `components/securitySchemes`.
        public var scheme: String
        /// The scopes needed (OAuth 2 and OpenID Connect scopes, or roles for
        /// other schemes); empty when none are.
        public var scopes: [String]
        /// Where the entry's key was written, for diagnostics.
        public var source: SourceLocation

        /// An entry naming `scheme` with `scopes`.
        public init(scheme: String, scopes: [String], source: SourceLocation) {
            self.scheme = scheme
            self.scopes = scopes
            self.source = source
        }
    }

    /// The schemes that must all be satisfied, in document order; empty for
    /// anonymous access.
    public var entries: [Entry]
    /// Where the requirement was written, for diagnostics.
    public var source: SourceLocation

    /// A requirement of all of `entries`.
    public init(entries: [Entry], source: SourceLocation) {
        self.entries = entries
        self.source = source
    }
}

/// The Security Scheme Object.
public struct SecurityScheme: Sendable {
    /// `type`: the kind of credential.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// `apiKey` (a named header, query parameter or cookie), `http` (an
        /// `Authorization` scheme such as `bearer` or `basic`), `oauth2`,
        /// `openIdConnect`, and `mutualTLS` (3.1: a client certificate).
        case apiKey, http, oauth2, openIdConnect, mutualTLS
    }

    /// `type`.
    public var kind: Kind
    /// `description`: Markdown; nil when not written.
    public var description: String?
    /// `apiKey`: the name of the header, query parameter or cookie that
    /// carries the key; nil for the other kinds.
    public var name: String?
    /// `apiKey`: `in`, where ``name`` travels (`header`, `query` or
    /// `cookie`); nil for the other kinds.
    public var location: ParameterLocation?
    /// `http`: `bearer`, `basic`, ... and an optional bearer format hint.
    public var scheme: String?
    /// `http` with `bearer`: `bearerFormat`, a hint such as `JWT` for
    /// readers; nil when not written.
    public var bearerFormat: String?
    /// `oauth2`: every scope any flow declares, name → description.
    public var scopes = OrderedDictionary<String>()
    /// `openIdConnect`: `openIdConnectUrl`, the discovery document's URL as
    /// written; nil for the other kinds.
    public var openIdConnectURL: String?
    /// The `x-…` keys written on the scheme, in document order.
    public var extensions = OrderedDictionary<JSONValue>()
    /// Where the object was written, for diagnostics.
    public var source: SourceLocation

    /// A scheme of `kind` with no details yet; the parser fills them in.
    public init(kind: Kind, source: SourceLocation) {
        self.kind = kind
        self.source = source
    }
}
