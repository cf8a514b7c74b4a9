import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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
            throw LoopbackClientError.invalidAddress(host: host, port: port, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }

        // Each address in turn (`localhost` may give ::1 before 127.0.0.1).
        var lastError: any Error = LoopbackClientError.connectFailed(host: host, port: port, reason: "no address")
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
        guard fd >= 0 else { throw LoopbackClientError.socketError(operation: "socket()", reason: errnoText()) }
        do {
            if let source {
                var local = sockaddr_in()
                local.sin_family = sa_family_t(AF_INET)
                guard info.ai_family == AF_INET, inet_pton(AF_INET, source, &local.sin_addr) == 1 else {
                    throw LoopbackClientError.invalidAddress(host: source, port: 0, reason: "not an IPv4 address to connect \(host) from")
                }
                let bound = withUnsafePointer(to: &local) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
                guard bound == 0 else { throw LoopbackClientError.socketError(operation: "bind(\(source))", reason: errnoText()) }
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
                    if result == 0 { throw LoopbackClientError.timedOut(operation: "connecting to \(host):\(port)", seconds: timeout) }
                    if errno != EINTR { throw LoopbackClientError.socketError(operation: "poll()", reason: errnoText()) }
                }
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 else {
                    throw LoopbackClientError.socketError(operation: "getsockopt(SO_ERROR)", reason: errnoText())
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

    private static func connectError(_ code: Int32, host: String, port: Int) -> LoopbackClientError {
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
            throw LoopbackClientError.socketError(operation: "setsockopt(SO_RCVTIMEO/SO_SNDTIMEO)", reason: errnoText())
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
                    throw LoopbackClientError.timedOut(operation: "sending the request (\(offset) of \(buffer.count) bytes sent)", seconds: timeout)
                }
                throw LoopbackClientError.socketError(operation: "send()", reason: errnoText(code))
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
                throw LoopbackClientError.timedOut(operation: "waiting for the response", seconds: timeout)
            }
            throw LoopbackClientError.socketError(operation: "recv()", reason: errnoText(code))
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
