import APIRuntime
import APIServer
import Foundation
import HTTPTypes
import HTTPTestClient
import Hummingbird
import Logging
import ServiceLifecycle
import Testing

@Suite struct RoutingTests {
    @Test func openOperationNeedsNoCredentials() async throws {
        try await withServer { client in
            let response = try await client.send("GET", "/api/open")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            #expect(try json(response) == ["summary": "open to anyone"])
            #expect(response.header("X-Correlation-ID")?.count == 32)
        }
    }

    @Test func headOnAGetOperationAnswersWithoutABody() async throws {
        try await withServer { client in
            let response = try await client.send("HEAD", "/api/open")
            #expect(response.status == 200)
            #expect(response.body.isEmpty)
        }
    }

    @Test func wellFormedCorrelationIDIsReused() async throws {
        try await withServer { client in
            let id = "0123456789abcdef0123456789abcdef"
            let reused = try await client.send("GET", "/api/nowhere", headers: [("X-Correlation-ID", id)])
            #expect(reused.header("X-Correlation-ID") == id)
            #expect(try json(reused).objectValue?["correlationId"]?.stringValue == id)
            let replaced = try await client.send("GET", "/api/open", headers: [("X-Correlation-ID", "NOT-A-VALID-ID")])
            #expect(replaced.header("X-Correlation-ID") != "NOT-A-VALID-ID")
        }
    }

    @Test func unknownPathIs404InTheErrorFormat() async throws {
        try await withServer { client in
            for uri in ["/api/nowhere", "/open", "/api/items/\(itemID)/more"] {
                let response = try await client.send("GET", uri, headers: admin)
                #expect(response.status == 404, "\(uri)")
                try expectErrorBody(response, code: "not_found")
            }
        }
    }

    @Test func wrongMethodIs405WithAllowWhateverTheCredentials() async throws {
        try await withServer { client in
            let response = try await client.send("POST", "/api/open")
            #expect(response.status == 405)
            #expect(response.header("Allow") == "GET, HEAD")
            try expectErrorBody(response, code: "method_not_allowed")
            let item = try await client.send("PUT", "/api/items/\(itemID)")
            #expect(item.header("Allow") == "DELETE, GET, HEAD")
        }
    }

    @Test func headAnswersLikeGetWithoutABody() async throws {
        try await withServer { client in
            let response = try await client.send("HEAD", "/api/open")
            #expect(response.status == 200)
            #expect(response.body.isEmpty)
        }
    }

    /// `/items/mine` is a literal beside `/items/{item_id}`: the concrete
    /// path wins (OpenAPI's rule), for every method: DELETE, which only the
    /// template has, is a 405 naming `/items/mine`'s methods, not a call of
    /// the template with the id `mine`. Other ids still reach the template.
    @Test func concretePathsWinOverTemplates() async throws {
        try await withServer { client in
            let mine = try await client.send("GET", "/api/items/mine", headers: user)
            #expect(mine.status == 200)
            #expect(mine.header("Content-Type") == "text/plain")
            #expect(mine.text == "mine")
            let delete = try await client.send("DELETE", "/api/items/mine", headers: admin)
            #expect(delete.status == 405)
            #expect(delete.header("Allow") == "GET, HEAD")
            let other = try await client.send("DELETE", "/api/items/other", headers: admin)
            #expect(other.status == 400)
            #expect(try fieldErrors(other) == ["item_id: must be a UUID"])
        }
    }
}
