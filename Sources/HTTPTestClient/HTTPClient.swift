// A small HTTP/1.1 client for loopback tests, on plain sockets: one
// connection per request (`Connection: close`), so no pooling, no TLS and no
// dependencies (AsyncHTTPClient would pull swift-nio-ssl and BoringSSL into
// every test build).

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A complete response: status, headers in the order they came, and body.
public struct HTTPResponse: Sendable {
    public let status: Int
    /// Every header line, in order, names as the server spelled them.
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header with this name (case-insensitive), or nil.
    public func header(_ name: String) -> String? {
        let name = name.lowercased()
        return headers.first { $0.name.lowercased() == name }?.value
    }

    /// Every header with this name (case-insensitive), in order.
    public func headers(named name: String) -> [String] {
        let name = name.lowercased()
        return headers.filter { $0.name.lowercased() == name }.map(\.value)
    }

    /// The body decoded as UTF-8 (invalid sequences become U+FFFD).
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed by `JSONSerialization` (fragments allowed).
    public func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
    }
}

/// Why a request got no response.
public enum HTTPClientError: Error, Sendable, CustomStringConvertible, LocalizedError {
    /// The host did not resolve to an address.
    case invalidAddress(host: String, port: Int, reason: String)
    /// Nothing listens there (ECONNREFUSED).
    case connectionRefused(host: String, port: Int)
    /// Any other failure to connect.
    case connectFailed(host: String, port: Int, reason: String)
    /// No progress within the timeout, while connecting, sending or receiving.
    case timedOut(operation: String, seconds: Double)
    /// A socket call failed.
    case socketError(operation: String, reason: String)
    /// The server closed the connection before the response was complete.
    case connectionClosed(String)
    /// The bytes received are not an HTTP/1.x response.
    case malformedResponse(String)

    public var description: String {
        switch self {
        case let .invalidAddress(host, port, reason): "cannot resolve \(host):\(port): \(reason)"
        case let .connectionRefused(host, port): "connection refused by \(host):\(port) (is the server running?)"
        case let .connectFailed(host, port, reason): "cannot connect to \(host):\(port): \(reason)"
        case let .timedOut(operation, seconds): "timed out after \(seconds) s while \(operation)"
        case let .socketError(operation, reason): "\(operation) failed: \(reason)"
        case let .connectionClosed(detail): "connection closed by the server \(detail)"
        case let .malformedResponse(detail): "malformed HTTP response: \(detail)"
        }
    }

    public var errorDescription: String? { description }
}

/// Sends one request per connection to a server, usually on loopback.
///
///     let client = HTTPClient(port: port)
///     let response = try await client.send("GET", "/api/open", headers: [("Authorization", "Bearer x")])
///
/// The async methods run the blocking socket work on a thread of its own, so
/// any number of concurrent requests never occupies Swift's cooperative pool.
public struct HTTPClient: Sendable {
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
    public func send(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil) async throws -> HTTPResponse {
        try await onOwnThread { try sendBlocking(method, path, headers: headers, body: body) }
    }

    /// Sends a JSON body with `Content-Type: application/json` (unless
    /// `headers` names another content type).
    public func send(_ method: String, _ path: String, headers: [(String, String)] = [], json: String) async throws -> HTTPResponse {
        try await onOwnThread { try sendBlocking(method, path, headers: headers, json: json) }
    }

    /// Writes `bytes` exactly as given (for malformed requests) and reads the
    /// response (with no body if the bytes start with `HEAD `).
    public func sendRaw(_ bytes: [UInt8]) async throws -> HTTPResponse {
        try await onOwnThread { try sendRawBlocking(bytes) }
    }

    /// `sendRaw` of a string's UTF-8 bytes.
    public func sendRaw(_ text: String) async throws -> HTTPResponse {
        try await sendRaw(Array(text.utf8))
    }

    // MARK: Blocking

    public func sendBlocking(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil) throws -> HTTPResponse {
        let request = serialize(method, path, headers: headers, body: body)
        return try exchange(request, isHead: method.uppercased() == "HEAD")
    }

    public func sendBlocking(_ method: String, _ path: String, headers: [(String, String)] = [], json: String) throws -> HTTPResponse {
        var headers = headers
        if !headers.contains(where: { $0.0.lowercased() == "content-type" }) {
            headers.append(("Content-Type", "application/json"))
        }
        return try sendBlocking(method, path, headers: headers, body: Array(json.utf8))
    }

    public func sendRawBlocking(_ bytes: [UInt8]) throws -> HTTPResponse {
        try exchange(bytes, isHead: bytes.starts(with: "HEAD ".utf8))
    }

    public func sendRawBlocking(_ text: String) throws -> HTTPResponse {
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
                             holding: (before: @Sendable () -> Void, after: @Sendable () -> Void) = ({}, {})) async throws -> [HTTPResponse] {
        let request = serialize(method, path, headers: headers, body: nil)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[HTTPResponse], any Error>) in
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

    private func onOwnThread(_ work: @escaping @Sendable () throws -> HTTPResponse) async throws -> HTTPResponse {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
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
    func exchange(_ request: [UInt8], isHead: Bool) throws -> HTTPResponse {
        let socket = try Socket(host: host, port: port, timeout: timeout, source: sourceAddress)
        defer { socket.close() }
        var writeError: HTTPClientError?
        do {
            try socket.writeAll(request)
        } catch let error as HTTPClientError {
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

// MARK: - Socket

/// A connected, blocking TCP socket with send and receive timeouts.
struct Socket {
    let fd: Int32
    let timeout: Double

    init(host: String, port: Int, timeout: Double, source: String? = nil) throws {
        self.timeout = timeout
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if os(Linux)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw HTTPClientError.invalidAddress(host: host, port: port, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }

        // Each address in turn (`localhost` may give ::1 before 127.0.0.1).
        var lastError: any Error = HTTPClientError.connectFailed(host: host, port: port, reason: "no address")
        var connected: Int32?
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while connected == nil, let info = candidate {
            candidate = info.pointee.ai_next
            do {
                connected = try Self.connect(info.pointee, host: host, port: port, timeout: timeout, source: source)
            } catch {
                lastError = error
            }
        }
        guard let connected else { throw lastError }
        fd = connected
        try setOptions()
    }

    /// A non-blocking connect bounded by `timeout` (retried across EINTR),
    /// then back to blocking mode.
    private static func connect(_ info: addrinfo, host: String, port: Int, timeout: Double, source: String?) throws -> Int32 {
        let fd = socket(info.ai_family, info.ai_socktype, info.ai_protocol)
        guard fd >= 0 else { throw HTTPClientError.socketError(operation: "socket()", reason: errnoText()) }
        do {
            if let source {
                var local = sockaddr_in()
                local.sin_family = sa_family_t(AF_INET)
                guard info.ai_family == AF_INET, inet_pton(AF_INET, source, &local.sin_addr) == 1 else {
                    throw HTTPClientError.invalidAddress(host: source, port: 0, reason: "not an IPv4 address to connect \(host) from")
                }
                let bound = withUnsafePointer(to: &local) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
                guard bound == 0 else { throw HTTPClientError.socketError(operation: "bind(\(source))", reason: errnoText()) }
            }
            let flags = fcntl(fd, F_GETFL)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            var result = Glibc_connect(fd, info.ai_addr, info.ai_addrlen)
            if result != 0 {
                guard errno == EINPROGRESS || errno == EINTR else { throw connectError(errno, host: host, port: port) }
                let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
                while true {
                    var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    let remaining = deadline - ContinuousClock.now
                    let milliseconds = max(0, Int32(clamping: remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000))
                    result = poll(&descriptor, 1, milliseconds)
                    if result > 0 { break }
                    if result == 0 { throw HTTPClientError.timedOut(operation: "connecting to \(host):\(port)", seconds: timeout) }
                    if errno != EINTR { throw HTTPClientError.socketError(operation: "poll()", reason: errnoText()) }
                }
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 else {
                    throw HTTPClientError.socketError(operation: "getsockopt(SO_ERROR)", reason: errnoText())
                }
                if error != 0 { throw connectError(error, host: host, port: port) }
            }
            _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
            return fd
        } catch {
            _ = Glibc_close(fd)
            throw error
        }
    }

    private static func connectError(_ code: Int32, host: String, port: Int) -> HTTPClientError {
        code == ECONNREFUSED
            ? .connectionRefused(host: host, port: port)
            : .connectFailed(host: host, port: port, reason: errnoText(code))
    }

    private func setOptions() throws {
        let seconds = max(timeout, 0.001)
        var interval = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        let size = socklen_t(MemoryLayout<timeval>.size)
        var one: Int32 = 1
        guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &interval, size) == 0,
              setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &interval, size) == 0
        else {
            _ = Glibc_close(fd)
            throw HTTPClientError.socketError(operation: "setsockopt(SO_RCVTIMEO/SO_SNDTIMEO)", reason: errnoText())
        }
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Writes every byte, across partial writes and EINTR.
    func writeAll(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc_send(fd, buffer.baseAddress! + offset, buffer.count - offset, sendFlags)
                if written >= 0 {
                    offset += written
                    continue
                }
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK {
                    throw HTTPClientError.timedOut(operation: "sending the request (\(offset) of \(buffer.count) bytes sent)", seconds: timeout)
                }
                throw HTTPClientError.socketError(operation: "send()", reason: errnoText(code))
            }
        }
    }

    /// Reads what is available into `buffer`; 0 at the end of the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = recv(fd, buffer.baseAddress, buffer.count, 0)
            if count >= 0 { return count }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK {
                throw HTTPClientError.timedOut(operation: "waiting for the response", seconds: timeout)
            }
            throw HTTPClientError.socketError(operation: "recv()", reason: errnoText(code))
        }
    }

    func close() {
        _ = Glibc_close(fd)
    }
}

#if os(Linux)
private let sendFlags = Int32(MSG_NOSIGNAL)
#else
private let sendFlags: Int32 = 0
#endif

// The system calls whose names `Socket` shadows.
private func Glibc_connect(_ fd: Int32, _ address: UnsafePointer<sockaddr>!, _ length: socklen_t) -> Int32 {
    connect(fd, address, length)
}

private func Glibc_close(_ fd: Int32) -> Int32 {
    close(fd)
}

private func Glibc_send(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int, _ flags: Int32) -> Int {
    send(fd, bytes, count, flags)
}

private func errnoText(_ code: Int32 = errno) -> String {
    "\(String(cString: strerror(code))) (errno \(code))"
}

// MARK: - Response parsing

/// Reads one HTTP/1.x response from a socket: status line, headers, then the
/// body by chunked transfer-coding, Content-Length, or until the server closes.
struct ResponseReader {
    let socket: Socket
    private var buffer: [UInt8] = []
    private var start = 0
    private var ended = false

    static let maximumHeaderBytes = 1 << 20

    init(socket: Socket) {
        self.socket = socket
    }

    mutating func readResponse(isHead: Bool) throws -> HTTPResponse {
        while true {
            let (status, headers) = try readHead()
            // Interim responses (100 Continue, 103 Early Hints) precede the real one.
            if (100 ..< 200).contains(status) && status != 101 { continue }
            if isHead || (100 ..< 200).contains(status) || status == 204 || status == 304 {
                return HTTPResponse(status: status, headers: headers, body: [])
            }
            let body = try readBody(headers: headers)
            return HTTPResponse(status: status, headers: headers, body: body)
        }
    }

    private mutating func readHead() throws -> (Int, [(name: String, value: String)]) {
        var headBytes = 0
        guard let statusLine = try readLine(counting: &headBytes) else {
            throw HTTPClientError.connectionClosed("before sending a response")
        }
        let status = try parseStatusLine(statusLine)
        var headers: [(name: String, value: String)] = []
        while true {
            guard let line = try readLine(counting: &headBytes) else {
                throw HTTPClientError.connectionClosed("in the middle of the response headers")
            }
            if line.isEmpty { break }
            if line.first == UInt8(ascii: " ") || line.first == UInt8(ascii: "\t") {
                // An obsolete folded continuation of the previous header.
                guard let last = headers.popLast() else {
                    throw HTTPClientError.malformedResponse("a header continuation line comes first")
                }
                headers.append((last.name, last.value + " " + trimmed(line)))
                continue
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
                throw HTTPClientError.malformedResponse("header line without a name and colon: \(String(decoding: line, as: UTF8.self).debugDescription)")
            }
            let name = String(decoding: line[..<colon], as: UTF8.self)
            guard !name.contains(where: { $0 == " " || $0 == "\t" }) else {
                throw HTTPClientError.malformedResponse("whitespace in header name \(name.debugDescription)")
            }
            headers.append((name, trimmed(line[(colon + 1)...])))
        }
        return (status, headers)
    }

    private func parseStatusLine(_ line: ArraySlice<UInt8>) throws -> Int {
        let text = String(decoding: line, as: UTF8.self)
        let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3,
              parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let status = Int(parts[1])
        else {
            throw HTTPClientError.malformedResponse("bad status line \(text.debugDescription)")
        }
        return status
    }

    private func trimmed(_ bytes: ArraySlice<UInt8>) -> String {
        var slice = bytes
        while let first = slice.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { slice.removeFirst() }
        while let last = slice.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { slice.removeLast() }
        return String(decoding: slice, as: UTF8.self)
    }

    private mutating func readBody(headers: [(name: String, value: String)]) throws -> [UInt8] {
        func values(_ name: String) -> [String] {
            headers.filter { $0.name.lowercased() == name }.map(\.value)
        }
        let codings = values("transfer-encoding")
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if let last = codings.last {
            guard last == "chunked" else { return try readToEnd() }
            return try readChunked()
        }
        let lengths = Set(values("content-length").flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) })
        if lengths.isEmpty { return try readToEnd() }
        guard lengths.count == 1, let text = lengths.first, let length = Int(text), length >= 0 else {
            throw HTTPClientError.malformedResponse("bad Content-Length \(values("content-length"))")
        }
        return try read(count: length)
    }

    private mutating func readChunked() throws -> [UInt8] {
        var body: [UInt8] = []
        var headBytes = 0
        while true {
            guard let line = try readLine(counting: &headBytes) else {
                throw HTTPClientError.connectionClosed("before the last chunk")
            }
            let sizeText = String(decoding: line.prefix { $0 != UInt8(ascii: ";") }, as: UTF8.self)
                .trimmingCharacters(in: .whitespaces)
            guard !sizeText.isEmpty, sizeText.count <= 15, let size = Int(sizeText, radix: 16) else {
                throw HTTPClientError.malformedResponse("bad chunk size line \(String(decoding: line, as: UTF8.self).debugDescription)")
            }
            if size == 0 { break }
            body += try read(count: size)
            guard let end = try readLine(counting: &headBytes), end.isEmpty else {
                throw HTTPClientError.malformedResponse("chunk data not followed by CRLF")
            }
        }
        // Trailer fields, up to the empty line.
        while true {
            guard let line = try readLine(counting: &headBytes) else { break }
            if line.isEmpty { break }
        }
        return body
    }

    /// The next line without its CRLF (or bare LF); nil at the end of the
    /// stream when nothing of a line was read.
    private mutating func readLine(counting total: inout Int) throws -> ArraySlice<UInt8>? {
        var scanned = 0  // bytes after `start` known to hold no newline
        while true {
            if let newline = buffer[(start + scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = buffer[start ..< end]
                total += newline + 1 - start
                start = newline + 1
                return line
            }
            scanned = buffer.count - start
            if total + buffer.count - start > Self.maximumHeaderBytes {
                throw HTTPClientError.malformedResponse("response head longer than \(Self.maximumHeaderBytes) bytes")
            }
            if try fill() == 0 {
                if start == buffer.count { return nil }
                throw HTTPClientError.connectionClosed("in the middle of a line")
            }
        }
    }

    private mutating func read(count: Int) throws -> [UInt8] {
        while buffer.count - start < count {
            if try fill() == 0 {
                throw HTTPClientError.connectionClosed("after \(buffer.count - start) of \(count) body bytes")
            }
        }
        let bytes = Array(buffer[start ..< start + count])
        start += count
        return bytes
    }

    private mutating func readToEnd() throws -> [UInt8] {
        while try fill() > 0 {}
        let bytes = Array(buffer[start...])
        start = buffer.count
        return bytes
    }

    /// Appends what the socket has (waiting for it); 0 at the end of the stream.
    private mutating func fill() throws -> Int {
        if ended { return 0 }
        if start > 65536 && start > buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        let capacity = 65536
        let oldCount = buffer.count
        var received = 0
        buffer.append(contentsOf: repeatElement(0, count: capacity))
        do {
            received = try buffer.withUnsafeMutableBytes { try socket.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[oldCount...])) }
        } catch {
            buffer.removeLast(capacity)
            throw error
        }
        buffer.removeLast(capacity - received)
        if received == 0 { ended = true }
        return received
    }
}
