import Foundation
import HTTPTypes
import HTTPTestClient
import Hummingbird
import Logging
import ServiceLifecycle
import TestSupport
import Testing

// LoopbackClient against a plain Hummingbird router on loopback: bodies by
// Content-Length, chunked and until close, concurrency, timeouts.

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

@Suite struct LoopbackClientTests {
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
