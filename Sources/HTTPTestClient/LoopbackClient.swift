import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A small HTTP/1.1 client for loopback tests, on plain sockets: one
/// connection per request (`Connection: close`), so no pooling, no TLS and no
/// dependencies (AsyncHTTPClient would pull swift-nio-ssl and BoringSSL into
/// every test build).
public struct LoopbackClient: Sendable {
    public let host: String
    public let port: Int
    /// Seconds allowed for connecting, and for each send or receive to make progress.
    public let timeout: Double
    /// The local IPv4 address to connect from (e.g. `127.0.0.2`, to look
    /// like another client on loopback); nil lets the system choose.
    public let sourceAddress: String?

    public init(host: String = "127.0.0.1", port: Int, timeout: Double = 30, sourceAddress: String? = nil) {
        self.host = host
        self.port = port
        self.timeout = timeout
        self.sourceAddress = sourceAddress
    }

    // MARK: Async

    /// Sends `method path`. Adds `Host`, `Connection: close` and, when there is
    /// a body, `Content-Length`, unless `headers` has them.
    public func send(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil) async throws -> LoopbackResponse {
        try await onOwnThread { try sendBlocking(method, path, headers: headers, body: body) }
    }

    /// Sends a JSON body with `Content-Type: application/json` (unless
    /// `headers` names another content type).
    public func send(_ method: String, _ path: String, headers: [(String, String)] = [], json: String) async throws -> LoopbackResponse {
        try await onOwnThread { try sendBlocking(method, path, headers: headers, json: json) }
    }

    /// Writes `bytes` exactly as given (for malformed requests) and reads the
    /// response (with no body if the bytes start with `HEAD `).
    public func sendRaw(_ bytes: [UInt8]) async throws -> LoopbackResponse {
        try await onOwnThread { try sendRawBlocking(bytes) }
    }

    /// `sendRaw` of a string's UTF-8 bytes.
    public func sendRaw(_ text: String) async throws -> LoopbackResponse {
        try await sendRaw(Array(text.utf8))
    }

    // MARK: Blocking

    public func sendBlocking(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil) throws -> LoopbackResponse {
        let request = serialize(method, path, headers: headers, body: body)
        return try exchange(request, isHead: method.uppercased() == "HEAD")
    }

    public func sendBlocking(_ method: String, _ path: String, headers: [(String, String)] = [], json: String) throws -> LoopbackResponse {
        var headers = headers
        if !headers.contains(where: { $0.0.lowercased() == "content-type" }) {
            headers.append(("Content-Type", "application/json"))
        }
        return try sendBlocking(method, path, headers: headers, body: Array(json.utf8))
    }

    public func sendRawBlocking(_ bytes: [UInt8]) throws -> LoopbackResponse {
        try exchange(bytes, isHead: bytes.starts(with: "HEAD ".utf8))
    }

    public func sendRawBlocking(_ text: String) throws -> LoopbackResponse {
        try sendRawBlocking(Array(text.utf8))
    }

    /// Sends requests that arrive together: opens a connection for each,
    /// writes all of each request but its last byte, then the last bytes
    /// back to back, so the server parses them within a moment of each
    /// other. Reads the responses in order. `holding` runs around the last
    /// bytes: a test that stops the server process (SIGSTOP) before them
    /// and resumes it after makes every request readable at the same
    /// instant, however slowly this client writes.
    public func sendTogether(_ method: String, _ path: String, headers: [(String, String)] = [], count: Int,
                             holding: (before: @Sendable () -> Void, after: @Sendable () -> Void) = ({}, {})) async throws -> [LoopbackResponse] {
        let request = serialize(method, path, headers: headers, body: nil)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[LoopbackResponse], any Error>) in
            let thread = Thread {
                continuation.resume(with: Result {
                    let sockets = try (0..<count).map { _ in try Socket(host: host, port: port, timeout: timeout, source: sourceAddress) }
                    defer { sockets.forEach { $0.close() } }
                    let head = Array(request.dropLast()), last = [request.last!]
                    for socket in sockets { try socket.writeAll(head) }
                    holding.before()
                    do {
                        for socket in sockets { try socket.writeAll(last) }
                    } catch {
                        holding.after()
                        throw error
                    }
                    holding.after()
                    return try sockets.map { socket in
                        var reader = ResponseReader(socket: socket)
                        return try reader.readResponse(isHead: false)
                    }
                })
            }
            thread.name = "HTTPTestClient"
            thread.start()
        }
    }

    // MARK: Internals

    private func onOwnThread(_ work: @escaping @Sendable () throws -> LoopbackResponse) async throws -> LoopbackResponse {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<LoopbackResponse, any Error>) in
            let thread = Thread {
                continuation.resume(with: Result { try work() })
            }
            thread.name = "HTTPTestClient"
            thread.start()
        }
    }

    private var hostHeader: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return "\(bracketed):\(port)"
    }

    func serialize(_ method: String, _ path: String, headers: [(String, String)], body: [UInt8]?) -> [UInt8] {
        func has(_ name: String) -> Bool { headers.contains { $0.0.lowercased() == name } }
        var head = "\(method) \(path) HTTP/1.1\r\n"
        if !has("host") { head += "Host: \(hostHeader)\r\n" }
        for (name, value) in headers {
            head += "\(name): \(value)\r\n"
        }
        if let body, !has("content-length"), !has("transfer-encoding") {
            head += "Content-Length: \(body.count)\r\n"
        }
        if !has("connection") { head += "Connection: close\r\n" }
        head += "\r\n"
        return Array(head.utf8) + (body ?? [])
    }

    /// Connects, writes the request, reads one response, closes.
    func exchange(_ request: [UInt8], isHead: Bool) throws -> LoopbackResponse {
        let socket = try Socket(host: host, port: port, timeout: timeout, source: sourceAddress)
        defer { socket.close() }
        var writeError: LoopbackClientError?
        do {
            try socket.writeAll(request)
        } catch let error as LoopbackClientError {
            // A server may answer (413, 400) and close before reading all of
            // the request: its response is still worth reading.
            guard case .socketError = error else { throw error }
            writeError = error
        }
        var reader = ResponseReader(socket: socket)
        do {
            return try reader.readResponse(isHead: isHead)
        } catch {
            throw writeError ?? error
        }
    }
}
