/// What a generated `Client` sends its requests through: one request in,
/// one response out. The generated code builds the request (method, path
/// with its query, headers, body bytes) and reads the response; a transport
/// only moves bytes, so a test can stand one in for the network.
///
///     struct Canned: APIClientTransport {
///         func send(_ request: ClientRequest) async throws -> ClientResponse {
///             ClientResponse(status: 200, headers: [("Content-Type", "application/json")], body: Array(#"{"ok":true}"#.utf8))
///         }
///     }
///
/// `URLSessionTransport` is the default, over HTTP.
public protocol APIClientTransport: Sendable {
    /// Sends `request` and returns the server's answer, whatever its status;
    /// throws only when no answer arrived (connection refused, timed out…).
    func send(_ request: ClientRequest) async throws -> ClientResponse
}
