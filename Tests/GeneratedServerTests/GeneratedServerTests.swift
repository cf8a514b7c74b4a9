import APIRuntime
import APIServer
import Foundation
import HTTPTypes
import HTTPTestClient
import Hummingbird
import Logging
import ServiceLifecycle
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
        let summary = "item=\(input.itemID.uuidString.lowercased()) tags=\((input.tags ?? []).joined(separator: ",")) ids=\((input.ids ?? []).map(String.init).joined(separator: ",")) names=\((input.names ?? []).joined(separator: "|")) limit=\(input.limit) mode=\(input.mode?.rawValue ?? "-") trace=\(input.xTrace ?? "-") levels=\((input.xLevels ?? []).map(String.init).joined(separator: ",")) since=\(since) by=\(context.principal ?? "-")"
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

    func authenticate(scheme: String, request: APIRequest) async throws -> String? {
        switch request.request.headers[.authorization] {
        case "Bearer admin-token": "admin"
        case "Bearer user-token": "user"
        default: nil
        }
    }

    func principal(_ principal: String, grants scope: String, request: APIRequest) -> Bool {
        scope == "admin" ? principal == "admin" : true
    }
}

struct ServerDidNotStart: Error {}

/// Runs an application on 127.0.0.1, port 0, in this process; once it is
/// listening, hands `body` a client for the port it bound, then shuts the
/// application down gracefully.
func withRunningApplication<App: ApplicationProtocol>(
    logger: Logger,
    _ makeApplication: (_ onRunning: @escaping @Sendable (Int) async -> Void) -> App,
    _ body: @Sendable (LoopbackClient) async throws -> Void
) async throws {
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let app = makeApplication { port in
        portContinuation.yield(port)
        portContinuation.finish()
    }
    let serviceGroup = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            defer { portContinuation.finish() }
            try await serviceGroup.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await group.waitForAll()  // why it stopped, if it threw
            throw ServerDidNotStart()
        }
        do {
            try await body(LoopbackClient(port: port, timeout: 20))
        } catch {
            await serviceGroup.triggerGracefulShutdown()
            throw error
        }
        await serviceGroup.triggerGracefulShutdown()
        try await group.waitForAll()
    }
}

/// Runs the generated server on a real port and hands the test a client.
func withServer(_ body: @Sendable (LoopbackClient) async throws -> Void) async throws {
    var logger = Logger(label: "generated-server-test")
    logger.logLevel = .warning
    let responder = APIResponder(routes: EchoService().routes(authenticator: TestAuthenticator()), errorBody: Schemas.Error.self, logger: logger)
    try await withRunningApplication(logger: logger, { onRunning in
        APIServer.application(responder: responder, host: "127.0.0.1", port: 0, logger: logger, onRunning: onRunning)
    }, body)
}

/// The parsed JSON of a response body.
func json(_ response: LoopbackResponse) throws -> JSON {
    try JSON.parse(response.body)
}

/// The field errors of an error body, as "field: message".
func fieldErrors(_ response: LoopbackResponse) throws -> [String] {
    let body = try json(response)
    return (body.objectValue?["errors"]?.arrayValue ?? []).compactMap { item in
        guard let field = item.objectValue?["field"]?.stringValue, let message = item.objectValue?["message"]?.stringValue else { return nil }
        return "\(field): \(message)"
    }
}

/// Every error response: the published body, with the header's correlation id.
func expectErrorBody(_ response: LoopbackResponse, code: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let body = try json(response)
    let object = try #require(body.objectValue, sourceLocation: sourceLocation)
    #expect(object["error"]?.stringValue == code, sourceLocation: sourceLocation)
    let message = object["message"]?.stringValue ?? ""
    #expect(message.count > 0, sourceLocation: sourceLocation)
    let header = response.header("X-Correlation-ID")
    #expect(object["correlationId"]?.stringValue == header, sourceLocation: sourceLocation)
    #expect(header.map { $0.count == 32 && $0.allSatisfy { "0123456789abcdef".contains($0) } } == true, sourceLocation: sourceLocation)
    #expect(response.header("Content-Type") == "application/json", sourceLocation: sourceLocation)
}

let itemID = "0b6c9a3e-5d7f-4a8e-9c1b-2d3e4f5a6b7c"
let admin = [("Authorization", "Bearer admin-token")]
let user = [("Authorization", "Bearer user-token")]

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

@Suite struct SecurityTests {
    @Test func missingOrUnknownCredentialsAre401WithAChallenge() async throws {
        try await withServer { client in
            for headers: [(String, String)] in [[], [("Authorization", "Bearer nope")], [("Authorization", "Basic abc")]] {
                let response = try await client.send("GET", "/api/items/\(itemID)", headers: headers)
                #expect(response.status == 401)
                #expect(response.header("WWW-Authenticate") == #"Bearer error="invalid_token""#)
                try expectErrorBody(response, code: "unauthorized")
                #expect(try json(response).objectValue?["message"]?.stringValue == "Invalid or expired authentication token")
            }
        }
    }

    @Test func missingScopeIs403AndTheScopeAdmits() async throws {
        try await withServer { client in
            let forbidden = try await client.send("DELETE", "/api/items/\(itemID)", headers: user)
            #expect(forbidden.status == 403)
            try expectErrorBody(forbidden, code: "forbidden")
            let allowed = try await client.send("DELETE", "/api/items/\(itemID)", headers: admin)
            #expect(allowed.status == 204)
            #expect(allowed.body.isEmpty)
        }
    }

    /// Security comes before validation: a bad parameter without credentials is a 401.
    @Test func authenticationComesBeforeValidation() async throws {
        try await withServer { client in
            let response = try await client.send("GET", "/api/items/not-a-uuid?limit=0")
            #expect(response.status == 401)
        }
    }
}

@Suite struct ParameterTests {
    @Test func everyStyleArrivesTyped() async throws {
        try await withServer { client in
            let headers = user + [("X-Trace", "abc"), ("X-Levels", "3,1")]
            let response = try await client.send("GET", "/api/items/\(itemID.uppercased())?tags=ab&tags=c%20d&ids=1,2&names=a%2Cb,c+d,%E2%82%AC,&limit=3&mode=fast&since=2024-01-02T03:04:05%2B02:00", headers: headers)
            #expect(response.status == 200)
            #expect(try json(response) == ["summary": .string("item=\(itemID) tags=ab,c d ids=1,2 names=a,b|c d|€| limit=3 mode=fast trace=abc levels=3,1 since=2024-01-02T01:04:05Z by=user")])
        }
    }

    @Test func defaultsApplyWhenAbsent() async throws {
        try await withServer { client in
            let response = try await client.send("GET", "/api/items/\(itemID)", headers: user)
            #expect(try json(response) == ["summary": .string("item=\(itemID) tags= ids= names= limit=5 mode=- trace=- levels= since=- by=user")])
        }
    }

    @Test func everyParameterRuleIsCheckedAndNamed() async throws {
        try await withServer { client in
            let headers = user + [("X-Trace", "ABC"), ("X-Levels", "1,x")]
            let response = try await client.send("GET", "/api/items/123?tags=a&tags=ok&ids=1,x,3,4&limit=11&mode=medium&since=yesterday", headers: headers)
            #expect(response.status == 400)
            try expectErrorBody(response, code: "validation_error")
            #expect(Set(try fieldErrors(response)) == [
                "item_id: must be a UUID",
                "tags[0]: must be at least 2 characters",
                "ids[1]: must be an integer",
                "limit: must be at most 10",
                "mode: must be one of fast, slow",
                "X-Trace: must match the pattern ^[a-z]+$",
                "X-Levels[1]: must be an integer",
                "since: must be an RFC 3339 date-time",
            ])
            let tooMany = try await client.send("GET", "/api/items/\(itemID)?ids=1,2,3,4&limit=0", headers: user)
            #expect(Set(try fieldErrors(tooMany)) == ["ids: must have at most 3 items", "limit: must be at least 1"])
            // `ids=` is one empty item, in both styles, not an empty list.
            let empty = try await client.send("GET", "/api/items/\(itemID)?ids=&tags=", headers: user)
            #expect(empty.status == 400)
            #expect(Set(try fieldErrors(empty)) == ["ids[0]: must be an integer", "tags[0]: must be at least 2 characters"])
        }
    }
}

@Suite struct BodyTests {
    func post(_ client: LoopbackClient, _ body: String, contentType: String = "application/json") async throws -> LoopbackResponse {
        try await client.send("POST", "/api/items", headers: user + [("Content-Type", contentType)], body: Array(body.utf8))
    }

    @Test func validBodyIsCreatedWithItsHeader() async throws {
        try await withServer { client in
            let response = try await post(client, #"{"name": "Drill", "kind": "tool", "count": 3, "price": 9.5, "due": null, "labels": ["a", "b"]}"#)
            #expect(response.status == 201)
            #expect(response.header("Location") == "/api/items/6f1c2c39-1111-4c1e-9d53-9a1f8f0c0001")
            #expect(try json(response) == ["name": "Drill", "kind": "tool", "count": 3, "price": 9.5, "due": .null, "labels": ["a", "b"], "id": "6f1c2c39-1111-4c1e-9d53-9a1f8f0c0001"])
        }
    }

    @Test func everyBodyRuleIsCheckedAndNamed() async throws {
        try await withServer { client in
            let response = try await post(client, #"{"name": "Far too long name!", "kind": "gadget", "count": 101, "price": 0, "owner": "nope", "due": "soon", "labels": ["ab", "ab", "long"], "extra": 1}"#)
            #expect(response.status == 400)
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
            #expect(response.status == 400)
            try expectErrorBody(response, code: "validation_error")
            // The body as a whole is refused: a message, no field-level `errors`.
            #expect(try json(response).objectValue?["errors"] == nil)
            #expect(try json(response).objectValue?["message"]?.stringValue?.hasPrefix("The request body is not valid JSON") == true)
            let empty = try await post(client, "")
            #expect(try fieldErrors(empty) == ["body: is required"])
        }
    }

    @Test func wrongContentTypeIs415() async throws {
        try await withServer { client in
            let response = try await post(client, #"{"name": "Drill", "kind": "tool", "count": 3}"#, contentType: "text/plain")
            #expect(response.status == 415)
            try expectErrorBody(response, code: "unsupported_media_type")
            let withCharset = try await post(client, #"{"name": "Drill", "kind": "tool", "count": 3}"#, contentType: "application/json; charset=utf-8")
            #expect(withCharset.status == 201)
        }
    }

    @Test func bodiesOver64KiBAre413() async throws {
        try await withServer { client in
            let big = #"{"name": ""# + String(repeating: "a", count: 70_000) + #""}"#
            let response = try await post(client, big)
            #expect(response.status == 413)
            try expectErrorBody(response, code: "payload_too_large")
        }
    }

    @Test func rangeStatusesCarryTheirCode() async throws {
        try await withServer { client in
            let response = try await post(client, #"{"name": "Taken", "kind": "part", "count": 1}"#)
            #expect(response.status == 409)
            #expect(try json(response).objectValue?["error"]?.stringValue == "conflict")
        }
    }
}

// MARK: - The loopback client itself

/// Lets `count` requests in at once: each waits until all have arrived (or
/// 10 s have passed, so a failure cannot hang the server's shutdown).
actor Barrier {
    let count: Int
    private var arrived = 0
    private var waiting: [CheckedContinuation<Bool, Never>] = []
    private var released = false

    init(count: Int) {
        self.count = count
    }

    /// True if every request arrived, false on the time limit.
    func arrive() async -> Bool {
        arrived += 1
        if arrived == 1 {
            Task {
                try? await Task.sleep(for: .seconds(10))
                self.release(allArrived: false)
            }
        }
        if arrived >= count {
            release(allArrived: true)
            return true
        }
        if released { return false }
        return await withCheckedContinuation { waiting.append($0) }
    }

    private func release(allArrived: Bool) {
        released = true
        for continuation in waiting {
            continuation.resume(returning: allArrived)
        }
        waiting = []
    }
}

/// A plain Hummingbird router with the body shapes the client must read.
func withRouterServer(barrier: Barrier = Barrier(count: 20), _ body: @Sendable (LoopbackClient) async throws -> Void) async throws {
    var logger = Logger(label: "http-client-test")
    logger.logLevel = .warning
    let router = Router()
    router.get("fixed") { _, _ in "hello, world" }
    router.head("fixed") { _, _ in
        Response(status: .ok, headers: [.contentLength: "12", .contentType: "text/plain; charset=utf-8"])
    }
    router.get("chunked") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/plain"], body: ResponseBody { writer in
            for i in 0 ..< 40 {
                try await writer.write(ByteBuffer(string: String(repeating: String(i % 10), count: 1000 + i)))
                if i % 10 == 0 { try await Task.sleep(for: .milliseconds(5)) }
            }
            try await writer.write(ByteBuffer(bytes: Array(repeating: UInt8(ascii: "z"), count: 200_000)))
            try await writer.finish([HTTPField.Name("X-Trailer")!: "done"])
        })
    }
    router.post("echo") { request, _ in
        var request = request
        let body = try await request.collectBody(upTo: 4 << 20)
        return Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: ResponseBody(byteBuffer: body))
    }
    @Sendable func requestHeaders(_ request: Request, _: BasicRequestContext) -> String {
        var lines: [String] = []
        for field in request.headers { lines.append("\(field.name.rawName): \(field.value)") }
        lines.append("authority: \(request.head.authority ?? "-")")
        return lines.joined(separator: "\n")
    }
    router.get("request-headers", use: requestHeaders)
    router.post("request-headers", use: requestHeaders)
    router.get("multiple") { _, _ in
        var headers = HTTPFields()
        headers.append(HTTPField(name: .init("X-Multi")!, value: "one"))
        headers.append(HTTPField(name: .init("X-Multi")!, value: "two"))
        return Response(status: .accepted, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"list": [1, 2], "ok": true}"#)))
    }
    router.get("slow") { _, _ in
        try await Task.sleep(for: .milliseconds(1500))
        return "late"
    }
    router.get("barrier") { _, _ in await barrier.arrive() ? "all arrived" : "gave up" }
    try await withRunningApplication(logger: logger, { onRunning in
        Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }, body)
}

@Suite struct HTTPClientTests {
    @Test func contentLengthBody() async throws {
        try await withRouterServer { client in
            let response = try await client.send("GET", "/fixed")
            #expect(response.status == 200)
            #expect(response.header("content-length") == "12")
            #expect(response.header("Transfer-Encoding") == nil)
            #expect(response.text == "hello, world")
        }
    }

    @Test func chunkedBodyIsReassembled() async throws {
        try await withRouterServer { client in
            let response = try await client.send("GET", "/chunked")
            #expect(response.status == 200)
            #expect(response.header("Transfer-Encoding") == "chunked")
            #expect(response.header("Content-Length") == nil)
            var expected = ""
            for i in 0 ..< 40 { expected += String(repeating: String(i % 10), count: 1000 + i) }
            expected += String(repeating: "z", count: 200_000)
            #expect(response.body.count == expected.utf8.count)
            #expect(response.text == expected)
        }
    }

    @Test func headResponsesHaveNoBody() async throws {
        try await withRouterServer { client in
            let response = try await client.send("HEAD", "/fixed")
            #expect(response.status == 200)
            #expect(response.header("Content-Length") == "12")
            #expect(response.body.isEmpty)
            // A raw HEAD is recognised too.
            let raw = try await client.sendRaw(Array("HEAD /fixed HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8))
            #expect(raw.status == 200)
            #expect(raw.body.isEmpty)
        }
        try await withServer { client in
            let response = try await client.send("HEAD", "/api/open")
            #expect(response.status == 200)
            #expect(response.body.isEmpty)
        }
    }

    @Test func largeBodiesGoBothWays() async throws {
        try await withRouterServer { client in
            let body = (0 ..< 3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
            let response = try await client.send("POST", "/echo", body: body)
            #expect(response.status == 200)
            #expect(response.header("Content-Length") == String(body.count))
            #expect(response.body == body)
            let empty = try await client.send("POST", "/echo", body: [])
            #expect(empty.status == 200)
            #expect(empty.body.isEmpty)
        }
    }

    @Test func sendsHostConnectionAndContentHeaders() async throws {
        try await withRouterServer { client in
            let response = try await client.send("GET", "/request-headers", headers: [("X-One", "1"), ("x-two", "  spaced")])
            let lines = response.text.split(separator: "\n").map(String.init)
            #expect(lines.contains("authority: 127.0.0.1:\(client.port)"))
            #expect(lines.contains("X-One: 1"))
            #expect(lines.contains("x-two: spaced"))
            #expect(!lines.contains { $0.lowercased().hasPrefix("content-length") })
            let posted = try await client.send("POST", "/request-headers", body: Array("12345".utf8))
            #expect(posted.text.split(separator: "\n").contains { $0.lowercased() == "content-length: 5" })
            let custom = try await client.send("GET", "/request-headers", headers: [("Host", "example.test")])
            #expect(custom.text.contains("authority: example.test"))
        }
    }

    @Test func jsonBodiesAndRepeatedHeaders() async throws {
        try await withRouterServer { client in
            let response = try await client.send("GET", "/multiple")
            #expect(response.status == 202)
            #expect(response.headers(named: "x-multi") == ["one", "two"])
            #expect(response.header("X-MULTI") == "one")
            #expect(response.header("X-Absent") == nil)
            let object = try #require(try response.json() as? [String: Any])
            #expect(object["list"] as? [Int] == [1, 2])
            #expect(object["ok"] as? Bool == true)
            let echoed = try await client.send("POST", "/echo", json: #"{"a": 1}"#)
            #expect(echoed.text == #"{"a": 1}"#)
        }
    }

    /// Twenty requests in flight at once, each held by the server until all
    /// have arrived: the client must not block the cooperative pool.
    @Test func concurrentRequestsDoNotBlockThePool() async throws {
        let barrier = Barrier(count: 20)
        try await withRouterServer(barrier: barrier) { client in
            let bodies = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0 ..< 20 {
                    group.addTask { try await client.send("GET", "/barrier").text }
                }
                var bodies: [String] = []
                for try await body in group { bodies.append(body) }
                return bodies
            }
            #expect(bodies == Array(repeating: "all arrived", count: 20))
        }
    }

    @Test func blockingAndRawVariants() async throws {
        try await withRouterServer { client in
            let blocking = try client.sendBlocking("GET", "/fixed")
            #expect(blocking.text == "hello, world")
            let raw = try await client.sendRaw(Array("GET /fixed HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8))
            #expect(raw.status == 200)
            #expect(raw.text == "hello, world")
            // A malformed request gets an answer or a closed connection,
            // never a hang.
            do {
                let malformed = try await client.sendRaw(Array("NOT AN HTTP REQUEST\r\n\r\n".utf8))
                #expect((400 ..< 500).contains(malformed.status))
            } catch let error as LoopbackClientError {
                guard case .connectionClosed = error else { throw error }
            }
        }
    }

    @Test func slowServersTimeOut() async throws {
        try await withRouterServer { client in
            let impatient = LoopbackClient(port: client.port, timeout: 0.3)
            do {
                _ = try await impatient.send("GET", "/slow")
                Issue.record("expected a timeout")
            } catch let error as LoopbackClientError {
                guard case .timedOut = error else { throw error }
                #expect(error.description.contains("timed out"))
            }
        }
    }

    @Test func refusedConnectionsSaySo() async throws {
        // A port that was just listened on and is closed now.
        final class PortBox: @unchecked Sendable { var port = 0 }
        let box = PortBox()
        try await withRouterServer { client in box.port = client.port }
        let closed = LoopbackClient(port: box.port, timeout: 2)
        do {
            _ = try await closed.send("GET", "/fixed")
            Issue.record("expected connection refused")
        } catch let error as LoopbackClientError {
            guard case .connectionRefused = error else { throw error }
            #expect(error.description.contains("refused"))
        }
    }
}
