/// Which parts of the generated code to write: `types` (`Types.swift` and
/// `Operations.swift`), `server` (`Server.swift`), `client`
/// (`Client.swift`). Chosen by a target's `openapi-codegen.json`
/// (`{"generate": ["types", "client"]}`) or the CLI's `--mode`; both server
/// and client need the types.
public struct GenerationMode: OptionSet, Sendable, Hashable {
    public let rawValue: Int

    public init(rawValue: Int) {
        self.rawValue = rawValue
    }

    /// `Types.swift` and `Operations.swift`: schemas, inputs and outputs.
    public static let types = GenerationMode(rawValue: 1)
    /// `Server.swift`: the protocol to implement and its routes.
    public static let server = GenerationMode(rawValue: 2)
    /// `Client.swift`: one method per operation over a transport.
    public static let client = GenerationMode(rawValue: 4)

    /// Without a choice: types and server, as before clients existed.
    public static let `default`: GenerationMode = [.types, .server]

    /// Every part.
    public static let all: GenerationMode = [.types, .server, .client]

    /// The mode for `types`, `server` or `client`; nil for anything else.
    public init?(name: String) {
        switch name {
        case "types": self = .types
        case "server": self = .server
        case "client": self = .client
        default: return nil
        }
    }

    /// Why this choice cannot be generated, or nil when it can.
    public var problem: String? {
        if isEmpty { return "choose at least one of types, server, client" }
        if !contains(.types) && !isDisjoint(with: [.server, .client]) {
            return "\(contains(.server) ? "server" : "client") needs types (its code uses the generated Schemas and Operations)"
        }
        return nil
    }
}
