import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a loopback request failed: the address, the connection, or the answer.
public enum LoopbackClientError: Error, Sendable, CustomStringConvertible, LocalizedError {
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
///     let client = LoopbackClient(port: port)
///     let response = try await client.send("GET", "/api/open", headers: [("Authorization", "Bearer x")])
///
/// The async methods run the blocking socket work on a thread of its own, so
/// any number of concurrent requests never occupies Swift's cooperative pool.
