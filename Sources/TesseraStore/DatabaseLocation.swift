import Foundation

/// Where the data lives: a SQLite file (the embedded default) or a
/// PostgreSQL database shared by many instances, from `--database` /
/// `TESSERA_DATABASE`. Its `description` never shows a password.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    /// A `postgres://` or `postgresql://` URL names PostgreSQL; anything
    /// else is a SQLite file path. Without a password in the URL it comes
    /// from `TESSERA_DATABASE_PASSWORD`, else from the file named by
    /// `TESSERA_DATABASE_PASSWORD_FILE` (one trailing newline dropped).
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let lowered = text.lowercased()
        guard lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") else {
            self = .sqlite(path: text)
            return
        }
        self = .postgres(try PostgresLocation(url: text, environment: environment))
    }

    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let location): location.description
        }
    }
}

/// A PostgreSQL database: `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]`.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable { case disable, prefer, require }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode

    public init(user: String, password: String?, host: String, port: Int = 5432, database: String, tls: TLSMode = .prefer) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
        self.tls = tls
    }

    init(url text: String, environment: [String: String]) throws {
        guard let url = URLComponents(string: text), let host = url.host, !host.isEmpty,
              let user = url.user, !user.isEmpty else {
            throw DatabaseLocationError(message: "\(Self.redact(text)) is not a postgres://user:password@host:port/database URL")
        }
        let database = String(url.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw DatabaseLocationError(message: "\(Self.redact(text)) names no database (postgres://user@host:port/database)")
        }
        var tls = TLSMode.prefer
        for item in url.queryItems ?? [] {
            guard item.name == "sslmode", let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                throw DatabaseLocationError(message: "\(Self.redact(text)): the only query parameter is sslmode=disable|prefer|require")
            }
            tls = mode
        }
        var password = url.password
        if password == nil, let value = environment["TESSERA_DATABASE_PASSWORD"], !value.isEmpty {
            password = value
        }
        if password == nil, let file = environment["TESSERA_DATABASE_PASSWORD_FILE"], !file.isEmpty {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw DatabaseLocationError(message: "TESSERA_DATABASE_PASSWORD_FILE: cannot read \(file)")
            }
            var value = String(decoding: contents, as: UTF8.self)
            if value.hasSuffix("\r\n") { value.removeLast(2) } else if value.hasSuffix("\n") { value.removeLast() }
            password = value
        }
        // (URLComponents has already percent-decoded user, password and path.)
        self.init(user: user, password: password, host: host, port: url.port ?? 5432, database: database, tls: tls)
    }

    /// The URL without its password.
    public var description: String {
        let user = user.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? user
        let tlsSuffix = tls == .prefer ? "" : "?sslmode=\(tls.rawValue)"
        return "postgres://\(user)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)\(tlsSuffix)"
    }

    /// Any text with the password of a `scheme://user:password@…` URL
    /// replaced by `***`, for messages about text that did not parse.
    public static func redact(_ text: String) -> String {
        guard let scheme = text.range(of: "://") else { return text }
        let rest = text[scheme.upperBound...]
        guard let at = rest.lastIndex(of: "@") else { return text }
        let credentials = rest[..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}

/// A `--database` value that cannot be used; its message never holds a password.
public struct DatabaseLocationError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(message: String) {
        self.message = message
    }
}
