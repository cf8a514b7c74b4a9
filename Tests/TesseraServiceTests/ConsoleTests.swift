import Foundation
import HTTPTestClient
import Testing
import TestSupport

/// The web console as `tessera serve` answers it: the page and its files
/// with their policy and caching headers, HEAD, the 404 of the error
/// format for anything else under it, and the API beside it unchanged.
/// (What the console does in a browser: scripts/console-test.)
@Suite("Console")
struct ConsoleTests {
    static let policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    static let assets = Locations.packageRoot.appendingPathComponent("Sources/TesseraConsole/Assets")

    /// The files the page links, e.g. `/console/assets/0123abcd…/app.js`.
    static func linkedFiles(of page: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: #"(?:src|href)="(/console/assets/[0-9a-f]{16}/[a-z.]+)""#)
        return pattern.matches(in: page, range: NSRange(page.startIndex..., in: page)).map {
            String(page[Range($0.range(at: 1), in: page)!])
        }
    }

    static func expectSecurityHeaders(_ response: LoopbackResponse, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.header("Content-Security-Policy") == policy, sourceLocation: sourceLocation)
        #expect(response.header("X-Content-Type-Options") == "nosniff", sourceLocation: sourceLocation)
        #expect(response.header("Referrer-Policy") == "no-referrer", sourceLocation: sourceLocation)
        #expect(response.header("X-Frame-Options") == "DENY", sourceLocation: sourceLocation)
        #expect(response.header("X-Correlation-ID")?.count == 32, sourceLocation: sourceLocation)
    }

    @Test("The page: HTML, never cached stale, strict policy; every /console/ path is the same page")
    func page() async throws {
        let server = try await TesseraProcess.start()
        let page = try await server.client.send("GET", "/console")
        #expect(page.status == 200)
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        #expect(page.header("Cache-Control") == "no-cache")
        #expect(page.header("Content-Length") == String(page.body.count))
        Self.expectSecurityHeaders(page)
        // No inline script or style for the policy to forbid.
        #expect(!page.text.contains("<script>") && !page.text.contains("<style") && !page.text.contains(" style="))
        #expect(page.text.contains(#"<script type="module" src="/console/assets/"#))
        // The tree's index.html, with its files' versioned folder filled in.
        let linked = try #require(Self.linkedFiles(of: page.text).first)
        let folder = String(linked[..<linked.lastIndex(of: "/")!])
        let source = try String(contentsOf: Self.assets.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(page.text == source.replacingOccurrences(of: "{{ASSETS}}", with: folder), "run scripts/embed-console")
        for path in ["/console/", "/console/tokens/123"] {
            let same = try await server.client.send("GET", path)
            #expect(same.status == 200 && same.body == page.body, "\(path)")
        }
        let head = try await server.client.send("HEAD", "/console")
        #expect(head.status == 200 && head.body.isEmpty)
        #expect(head.header("Content-Length") == String(page.body.count))
        #expect(head.header("Content-Type") == "text/html; charset=utf-8")
        Self.expectSecurityHeaders(head)
    }

    @Test("Its files: the bytes of Sources/TesseraConsole/Assets, cached for a year under a content hash")
    func files() async throws {
        let server = try await TesseraProcess.start()
        let page = try await server.client.send("GET", "/console")
        let linked = Self.linkedFiles(of: page.text)
        #expect(linked.count == 2, "\(linked)")
        let prefix = try #require(linked.first.map { String($0[..<$0.index(after: $0.lastIndex(of: "/")!)]) })
        // Every file of the folder but the page is served as it is in the tree.
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.assets.path).filter { $0 != "index.html" }.sorted()
        #expect(names.contains("app.js") && names.contains("console.css"))
        for name in names {
            let response = try await server.client.send("GET", prefix + name)
            #expect(response.status == 200, "\(name)")
            let expected = try Data(contentsOf: Self.assets.appendingPathComponent(name))
            #expect(Data(response.body) == expected, "\(name) differs from Assets/\(name): run scripts/embed-console")
            #expect(response.header("Cache-Control") == "public, max-age=31536000, immutable", "\(name)")
            let type = name.hasSuffix(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8"
            #expect(response.header("Content-Type") == type, "\(name)")
            Self.expectSecurityHeaders(response)
        }
        let head = try await server.client.send("HEAD", prefix + "app.js")
        #expect(head.status == 200 && head.body.isEmpty && head.header("Cache-Control") == "public, max-age=31536000, immutable")
        #expect(head.header("Content-Type") == "text/javascript; charset=utf-8")
    }

    @Test("Anything else under /console is the API's 404; other methods are not served")
    func unknown() async throws {
        let server = try await TesseraProcess.start()
        let page = try await server.client.send("GET", "/console")
        let prefix = try #require(Self.linkedFiles(of: page.text).first.map { String($0[..<$0.index(after: $0.lastIndex(of: "/")!)]) })
        for path in [prefix + "missing.js", "/console/assets/0000000000000000/app.js", "/console/assets/app.js", "/consoles", "/console.js"] {
            let response = try await server.client.send("GET", path)
            try response.expectError(404, .notFound)
            #expect(response.header("Content-Security-Policy") == nil, "\(path)")
        }
        for method in ["POST", "PUT", "DELETE"] {
            try (try await server.client.send(method, "/console")).expectError(404, .notFound)
        }
    }

    @Test("The API beside it is unchanged: /v1 answers, unknown /v1 paths and methods keep their errors")
    func apiUnchanged() async throws {
        let server = try await TesseraProcess.start()
        let me = try await server.client.call("GET", "/v1/self", token: server.adminSecret)
        #expect(me.status == 200)
        #expect(me.header("Content-Security-Policy") == nil)
        try (try await server.client.call("GET", "/v1/self")).expectError(401, .unauthorized)
        try (try await server.client.send("GET", "/v1/console")).expectError(404, .notFound)
        try (try await server.client.send("GET", "/v1/self/")).expectError(404, .notFound)
        try (try await server.client.send("DELETE", "/v1/self", headers: [("Authorization", "Bearer \(server.adminSecret)")]))
            .expectError(405, .methodNotAllowed)
        let spec = try await server.client.send("GET", "/v1/openapi.yaml")
        #expect(spec.status == 200)
        #expect(Data(spec.body) == (try Data(contentsOf: Locations.packageRoot.appendingPathComponent("openapi.yaml"))))
    }
}
