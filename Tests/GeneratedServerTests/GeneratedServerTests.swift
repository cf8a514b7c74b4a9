import APIRuntime
import APIServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

// The types, operations and routes this file uses are generated at build
// time from openapi.yaml beside it, by the package's build plugin.

/// A small service implementing the generated protocol: it echoes what the
/// generated routes decoded, so the tests can see every parameter arrive.
struct EchoService: APIProtocol {
    typealias Principal = String

    func open(_ input: Operations.Open.Input, context: OperationContext<String>) async throws -> Operations.Open.Output {
        .ok(Schemas.Echo(summary: "open to \(context.principal ?? "anyone")"))
    }

    func getItem(_ input: Operations.GetItem.Input, context: OperationContext<String>) async throws -> Operations.GetItem.Output {
        let since = input.since.map { RFC3339.format($0) } ?? "-"
        let summary = "item=\(input.itemID.uuidString.lowercased()) tags=\((input.tags ?? []).joined(separator: ",")) ids=\((input.ids ?? []).map(String.init).joined(separator: ",")) limit=\(input.limit) mode=\(input.mode?.rawValue ?? "-") trace=\(input.xTrace ?? "-") since=\(since) by=\(context.principal ?? "-")"
        return .ok(Schemas.Echo(summary: summary))
    }

    func deleteItem(_ input: Operations.DeleteItem.Input, context: OperationContext<String>) async throws -> Operations.DeleteItem.Output {
        .noContent
    }

    func createItem(_ input: Operations.CreateItem.Input, context: OperationContext<String>) async throws -> Operations.CreateItem.Output {
        if input.body.name == "Taken" {
            return .clientError(status: 409, Schemas.Error(error: "conflict", message: "That name is taken.", correlationId: context.correlationID))
        }
        let id = UUID(uuidString: "6f1c2c39-1111-4c1e-9d53-9a1f8f0c0001")!
        let item = Schemas.Item(name: input.body.name, kind: Schemas.Item.Kind(rawValue: input.body.kind.rawValue)!, count: input.body.count, price: input.body.price, owner: input.body.owner, due: input.body.due, labels: input.body.labels, id: id)
        return .created(item, headers: .init(location: "/api/items/\(id.uuidString.lowercased())"))
    }

    func myItems(_ input: Operations.MyItems.Input, context: OperationContext<String>) async throws -> Operations.MyItems.Output {
        .ok(Array("mine".utf8), contentType: "text/plain")
    }
}

/// `Bearer admin-token` is an admin, `Bearer user-token` a user.
struct TestAuthenticator: APIAuthenticator {
    var challenge: String? { #"Bearer error="invalid_token""# }

    func authenticate(scheme: String, request: Request) async throws -> String? {
        switch request.headers[.authorization] {
        case "Bearer admin-token": "admin"
        case "Bearer user-token": "user"
        default: nil
        }
    }

    func principal(_ principal: String, grants scope: String, request: Request) -> Bool {
        scope == "admin" ? principal == "admin" : true
    }
}

/// Runs the generated server on a real port and hands the test a client.
func withServer(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
    var logger = Logger(label: "generated-server-test")
    logger.logLevel = .warning
    let responder = APIResponder(routes: EchoService().routes(authenticator: TestAuthenticator()), errorBody: Schemas.Error.self, logger: logger)
    let app = APIServer.application(responder: responder, host: "127.0.0.1", port: 0, logger: logger)
    try await app.test(.live) { client in try await body(client) }
}

/// The parsed JSON of a response body.
func json(_ response: TestResponse) throws -> JSON {
    try JSON.parse(Array(response.body.readableBytesView))
}

/// The field errors of an error body, as "field: message".
func fieldErrors(_ response: TestResponse) throws -> [String] {
    let body = try json(response)
    return (body.objectValue?["errors"]?.arrayValue ?? []).compactMap { item in
        guard let field = item.objectValue?["field"]?.stringValue, let message = item.objectValue?["message"]?.stringValue else { return nil }
        return "\(field): \(message)"
    }
}

/// Every error response: the published body, with the header's correlation id.
func expectErrorBody(_ response: TestResponse, code: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let body = try json(response)
    let object = try #require(body.objectValue, sourceLocation: sourceLocation)
    #expect(object["error"]?.stringValue == code, sourceLocation: sourceLocation)
    let message = object["message"]?.stringValue ?? ""
    #expect(message.count > 0, sourceLocation: sourceLocation)
    let header = response.headers[HTTPField.Name("X-Correlation-ID")!]
    #expect(object["correlationId"]?.stringValue == header, sourceLocation: sourceLocation)
    #expect(header.map { $0.count == 32 && $0.allSatisfy { "0123456789abcdef".contains($0) } } == true, sourceLocation: sourceLocation)
    #expect(response.headers[.contentType] == "application/json", sourceLocation: sourceLocation)
}

let itemID = "0b6c9a3e-5d7f-4a8e-9c1b-2d3e4f5a6b7c"
let admin: HTTPFields = [.authorization: "Bearer admin-token"]
let user: HTTPFields = [.authorization: "Bearer user-token"]

@Suite struct RoutingTests {
    @Test func openOperationNeedsNoCredentials() async throws {
        try await withServer { client in
            let response = try await client.execute(uri: "/api/open", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(try json(response) == ["summary": "open to anyone"])
            #expect(response.headers[HTTPField.Name("X-Correlation-ID")!]?.count == 32)
        }
    }

    @Test func wellFormedCorrelationIDIsReused() async throws {
        try await withServer { client in
            let id = "0123456789abcdef0123456789abcdef"
            let reused = try await client.execute(uri: "/api/nowhere", method: .get, headers: [HTTPField.Name("X-Correlation-ID")!: id])
            #expect(reused.headers[HTTPField.Name("X-Correlation-ID")!] == id)
            #expect(try json(reused).objectValue?["correlationId"]?.stringValue == id)
            let replaced = try await client.execute(uri: "/api/open", method: .get, headers: [HTTPField.Name("X-Correlation-ID")!: "NOT-A-VALID-ID"])
            #expect(replaced.headers[HTTPField.Name("X-Correlation-ID")!] != "NOT-A-VALID-ID")
        }
    }

    @Test func unknownPathIs404InTheErrorFormat() async throws {
        try await withServer { client in
            for uri in ["/api/nowhere", "/open", "/api/items/\(itemID)/more"] {
                let response = try await client.execute(uri: uri, method: .get, headers: admin)
                #expect(response.status == .notFound, "\(uri)")
                try expectErrorBody(response, code: "not_found")
            }
        }
    }

    @Test func wrongMethodIs405WithAllowWhateverTheCredentials() async throws {
        try await withServer { client in
            let response = try await client.execute(uri: "/api/open", method: .post)
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == "GET, HEAD")
            try expectErrorBody(response, code: "method_not_allowed")
            let item = try await client.execute(uri: "/api/items/\(itemID)", method: .put)
            #expect(item.headers[.allow] == "DELETE, GET, HEAD")
        }
    }

    @Test func headAnswersLikeGetWithoutABody() async throws {
        try await withServer { client in
            let response = try await client.execute(uri: "/api/open", method: .head)
            #expect(response.status == .ok)
            #expect(response.body.readableBytes == 0)
        }
    }

    /// `/items/mine` is a literal beside `/items/{item_id}`: the literal wins
    /// for GET, and DELETE still reaches the template.
    @Test func literalSegmentsWinAndTheSearchBacktracks() async throws {
        try await withServer { client in
            let mine = try await client.execute(uri: "/api/items/mine", method: .get, headers: user)
            #expect(mine.status == .ok)
            #expect(mine.headers[.contentType] == "text/plain")
            #expect(String(buffer: mine.body) == "mine")
            let delete = try await client.execute(uri: "/api/items/mine", method: .delete, headers: admin)
            #expect(delete.status == .badRequest)
            #expect(try fieldErrors(delete) == ["item_id: must be a UUID"])
        }
    }
}

@Suite struct SecurityTests {
    @Test func missingOrUnknownCredentialsAre401WithAChallenge() async throws {
        try await withServer { client in
            for headers: HTTPFields in [[:], [.authorization: "Bearer nope"], [.authorization: "Basic abc"]] {
                let response = try await client.execute(uri: "/api/items/\(itemID)", method: .get, headers: headers)
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == #"Bearer error="invalid_token""#)
                try expectErrorBody(response, code: "unauthorized")
                #expect(try json(response).objectValue?["message"]?.stringValue == "Invalid or expired authentication token")
            }
        }
    }

    @Test func missingScopeIs403AndTheScopeAdmits() async throws {
        try await withServer { client in
            let forbidden = try await client.execute(uri: "/api/items/\(itemID)", method: .delete, headers: user)
            #expect(forbidden.status == .forbidden)
            try expectErrorBody(forbidden, code: "forbidden")
            let allowed = try await client.execute(uri: "/api/items/\(itemID)", method: .delete, headers: admin)
            #expect(allowed.status == .noContent)
            #expect(allowed.body.readableBytes == 0)
        }
    }

    /// Security comes before validation: a bad parameter without credentials is a 401.
    @Test func authenticationComesBeforeValidation() async throws {
        try await withServer { client in
            let response = try await client.execute(uri: "/api/items/not-a-uuid?limit=0", method: .get)
            #expect(response.status == .unauthorized)
        }
    }
}

@Suite struct ParameterTests {
    @Test func everyStyleArrivesTyped() async throws {
        try await withServer { client in
            var headers = user
            headers[HTTPField.Name("X-Trace")!] = "abc"
            let response = try await client.execute(uri: "/api/items/\(itemID.uppercased())?tags=ab&tags=c%20d&ids=1,2&limit=3&mode=fast&since=2024-01-02T03:04:05%2B02:00", method: .get, headers: headers)
            #expect(response.status == .ok)
            #expect(try json(response) == ["summary": .string("item=\(itemID) tags=ab,c d ids=1,2 limit=3 mode=fast trace=abc since=2024-01-02T01:04:05Z by=user")])
        }
    }

    @Test func defaultsApplyWhenAbsent() async throws {
        try await withServer { client in
            let response = try await client.execute(uri: "/api/items/\(itemID)", method: .get, headers: user)
            #expect(try json(response) == ["summary": .string("item=\(itemID) tags= ids= limit=5 mode=- trace=- since=- by=user")])
        }
    }

    @Test func everyParameterRuleIsCheckedAndNamed() async throws {
        try await withServer { client in
            var headers = user
            headers[HTTPField.Name("X-Trace")!] = "ABC"
            let response = try await client.execute(uri: "/api/items/123?tags=a&tags=ok&ids=1,x,3,4&limit=11&mode=medium&since=yesterday", method: .get, headers: headers)
            #expect(response.status == .badRequest)
            try expectErrorBody(response, code: "validation_error")
            #expect(Set(try fieldErrors(response)) == [
                "item_id: must be a UUID",
                "tags[0]: must be at least 2 characters",
                "ids[1]: must be an integer",
                "limit: must be at most 10",
                "mode: must be one of fast, slow",
                "X-Trace: must match the pattern ^[a-z]+$",
                "since: must be an RFC 3339 date-time",
            ])
            let tooMany = try await client.execute(uri: "/api/items/\(itemID)?ids=1,2,3,4&limit=0", method: .get, headers: user)
            #expect(Set(try fieldErrors(tooMany)) == ["ids: must have at most 3 items", "limit: must be at least 1"])
        }
    }
}

@Suite struct BodyTests {
    func post(_ client: any TestClientProtocol, _ body: String, contentType: String = "application/json") async throws -> TestResponse {
        var headers = user
        headers[.contentType] = contentType
        return try await client.execute(uri: "/api/items", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test func validBodyIsCreatedWithItsHeader() async throws {
        try await withServer { client in
            let response = try await post(client, #"{"name": "Drill", "kind": "tool", "count": 3, "price": 9.5, "due": null, "labels": ["a", "b"]}"#)
            #expect(response.status == .created)
            #expect(response.headers[.location] == "/api/items/6f1c2c39-1111-4c1e-9d53-9a1f8f0c0001")
            #expect(try json(response) == ["name": "Drill", "kind": "tool", "count": 3, "price": 9.5, "due": .null, "labels": ["a", "b"], "id": "6f1c2c39-1111-4c1e-9d53-9a1f8f0c0001"])
        }
    }

    @Test func everyBodyRuleIsCheckedAndNamed() async throws {
        try await withServer { client in
            let response = try await post(client, #"{"name": "Far too long name!", "kind": "gadget", "count": 101, "price": 0, "owner": "nope", "due": "soon", "labels": ["ab", "ab", "long"], "extra": 1}"#)
            #expect(response.status == .badRequest)
            try expectErrorBody(response, code: "validation_error")
            #expect(Set(try fieldErrors(response)) == [
                "name: must be at most 10 characters",
                "name: must match the pattern ^[A-Za-z ]+$",
                "kind: must be one of tool, part",
                "count: must be at most 100",
                "price: must be greater than 0",
                "owner: must be a UUID",
                "due: must be an RFC 3339 date-time",
                "labels: must not contain duplicates",
                "labels[2]: must be at most 3 characters",
                "extra: is not allowed",
            ])
            let missing = try await post(client, #"{"kind": "tool", "count": "3"}"#)
            #expect(Set(try fieldErrors(missing)) == ["name: is required", "count: must be an integer"])
            let notAnObject = try await post(client, "[1, 2]")
            #expect(try fieldErrors(notAnObject) == ["body: must be an object"])
        }
    }

    @Test func malformedJSONIs400() async throws {
        try await withServer { client in
            let response = try await post(client, #"{"name": "Drill",}"#)
            #expect(response.status == .badRequest)
            try expectErrorBody(response, code: "validation_error")
            #expect(try fieldErrors(response).first?.hasPrefix("body: is not valid JSON") == true)
            let empty = try await post(client, "")
            #expect(try fieldErrors(empty) == ["body: is required"])
        }
    }

    @Test func wrongContentTypeIs415() async throws {
        try await withServer { client in
            let response = try await post(client, #"{"name": "Drill", "kind": "tool", "count": 3}"#, contentType: "text/plain")
            #expect(response.status == .unsupportedMediaType)
            try expectErrorBody(response, code: "unsupported_media_type")
            let withCharset = try await post(client, #"{"name": "Drill", "kind": "tool", "count": 3}"#, contentType: "application/json; charset=utf-8")
            #expect(withCharset.status == .created)
        }
    }

    @Test func bodiesOver64KiBAre413() async throws {
        try await withServer { client in
            let big = #"{"name": ""# + String(repeating: "a", count: 70_000) + #""}"#
            let response = try await post(client, big)
            #expect(response.status == .contentTooLarge)
            try expectErrorBody(response, code: "payload_too_large")
        }
    }

    @Test func rangeStatusesCarryTheirCode() async throws {
        try await withServer { client in
            let response = try await post(client, #"{"name": "Taken", "kind": "part", "count": 1}"#)
            #expect(response.status.code == 409)
            #expect(try json(response).objectValue?["error"]?.stringValue == "conflict")
        }
    }
}
