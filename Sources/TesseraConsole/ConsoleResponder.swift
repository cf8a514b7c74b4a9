import APIServer
import Crypto
import HTTPTypes
import Hummingbird

/// Serves the web console at `/console`: its page for `/console` and every
/// `/console/...` path (the console routes with `#` fragments, so these are
/// only bookmarks), and its scripts and styles under
/// `/console/assets/<version>/`, where the version is a hash of every file,
/// so they may be cached for a year. Everything else is left to the API's
/// 404. The files are compiled in (`ConsoleFiles`), never read from disk.
public struct ConsoleResponder: UnroutedResponder {
    /// The path prefix of the console.
    public static let root = "/console"

    let page: Asset
    let assets: [String: Asset]
    /// `/console/assets/<version>/`, the prefix of every file but the page.
    public let assetPrefix: String

    /// A prepared answer: its bytes and the headers that do not change.
    struct Asset: Sendable {
        var bytes: [UInt8]
        var fields: HTTPFields
    }

    /// The policy of every console response: only the console's own files,
    /// no inline script or style, no framing, no forms posted elsewhere.
    public static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

    /// Prepares the console's files (once, at start-up).
    public init(files: [(name: String, text: String)] = ConsoleFiles.all) {
        var digest = SHA256()
        for file in files.sorted(by: { $0.name < $1.name }) {
            digest.update(data: Array("\(file.name)\n\(file.text.utf8.count)\n".utf8))
            digest.update(data: Array(file.text.utf8))
        }
        let version = digest.finalize().prefix(8).map { byte in
            let hex = Array("0123456789abcdef")
            return "\(hex[Int(byte >> 4)])\(hex[Int(byte & 15)])"
        }.joined()
        let prefix = "\(Self.root)/assets/\(version)/"
        assetPrefix = prefix
        var assets: [String: Asset] = [:]
        var page = Asset(bytes: [], fields: [:])
        for file in files {
            if file.name == "index.html" {
                let text = file.text.replacingOccurrences(of: "{{ASSETS}}", with: String(prefix.dropLast()))
                page = Self.asset(Array(text.utf8), name: file.name, cacheControl: "no-cache")
            } else {
                assets[file.name] = Self.asset(Array(file.text.utf8), name: file.name, cacheControl: "public, max-age=31536000, immutable")
            }
        }
        self.page = page
        self.assets = assets
    }

    /// The page or file for a GET or HEAD under `/console`; nil for
    /// anything else, which the API answers with its 404. (`APIResponder`
    /// answers every HEAD with its GET's headers and no body.)
    public func response(to request: Request) -> Response? {
        guard request.method == .get || request.method == .head else { return nil }
        let path = request.uri.path
        guard path.hasPrefix(Self.root) else { return nil }
        let rest = path.dropFirst(Self.root.count)
        let asset: Asset?
        if path.hasPrefix(assetPrefix) {
            asset = assets[String(path.dropFirst(assetPrefix.count))]
        } else if rest.hasPrefix("/assets/") {
            asset = nil  // another version's file, or none
        } else if rest.isEmpty || rest.hasPrefix("/") {
            asset = page
        } else {
            asset = nil  // `/consoles`, not the console
        }
        guard let asset else { return nil }
        return Response(status: .ok, headers: asset.fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }

    static func asset(_ bytes: [UInt8], name: String, cacheControl: String) -> Asset {
        var fields: HTTPFields = [
            .contentType: contentType(of: name),
            .contentLength: String(bytes.count),
            .cacheControl: cacheControl,
            .contentSecurityPolicy: contentSecurityPolicy,
            .xContentTypeOptions: "nosniff",
        ]
        fields[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        fields[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        fields[HTTPField.Name("X-Frame-Options")!] = "DENY"
        return Asset(bytes: bytes, fields: fields)
    }

    static func contentType(of name: String) -> String {
        switch name.split(separator: ".").last {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        default: "application/octet-stream"
        }
    }
}
