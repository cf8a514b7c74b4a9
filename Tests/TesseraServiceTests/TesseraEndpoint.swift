import HTTPTestClient

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
