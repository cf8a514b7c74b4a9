import APIClient
import HTTPTestClient
import TesseraClient

/// A running Tessera that the tests talk to over HTTP, as its bootstrap
/// admin: a `tessera serve` process (`TesseraProcess`) or the service in
/// this process with a controllable clock (`InProcessTessera`).
protocol TesseraEndpoint: Sendable {
    /// A client for the server's loopback port.
    var client: LoopbackClient { get }
    /// The full-access token of the admin that bootstrap created.
    var adminSecret: String { get }
}

extension TesseraProcess: TesseraEndpoint {}

/// A server reached through a client of the test's choosing (one with a
/// request timeout, say), as the admin whose secret is `adminSecret`.
struct TesseraInstance: TesseraEndpoint {
    let client: LoopbackClient
    let adminSecret: String
}

extension TesseraEndpoint {
    /// The generated client (`TesseraClient`) for this server, presenting
    /// `secret` as its bearer token; no credentials for nil.
    func api(_ secret: String?) -> Client { client.api(secret) }

    /// The generated client as the bootstrap admin.
    var adminAPI: Client { api(adminSecret) }
}

/// `LoopbackClient` as the generated client's transport: one connection per
/// request (`Connection: close`), as the raw requests have, so concurrent
/// calls are concurrent connections and no pool outlives a test; and a
/// source address can be chosen (`TesseraProcess.client(from:)`).
/// `URLSessionTransport` is tested with the client itself (TesseraClientTests).
struct LoopbackTransport: APIClientTransport {
    var client: LoopbackClient

    func send(_ request: ClientRequest) async throws -> ClientResponse {
        let response = try await client.send(request.method, request.pathAndQuery,
                                             headers: request.headers.map { ($0.name, $0.value) }, body: request.body)
        return ClientResponse(status: response.status, headers: response.headers, body: response.body)
    }
}

extension LoopbackClient {
    /// The generated client over this connection's settings, presenting
    /// `secret` as its bearer token; no credentials for nil.
    func api(_ secret: String?) -> Client {
        Client(transport: LoopbackTransport(client: self), credentials: ClientCredentials(secret.map { ["BearerAuth": $0] } ?? [:]))
    }
}

extension TesseraProcess {
    /// The generated client from another loopback address (`127.0.0.2`), presenting `secret`.
    func api(_ secret: String?, from source: String) -> Client { client(from: source).api(secret) }
}
