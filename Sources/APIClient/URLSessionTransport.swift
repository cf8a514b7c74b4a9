import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The default transport: Foundation's `URLSession`, which on Linux is
/// FoundationNetworking from the toolchain over the system's libcurl, so a
/// client adds no package to build.
///
///     let transport = URLSessionTransport(baseURL: URL(string: "http://127.0.0.1:8080")!)
///
/// Requests go to `baseURL` followed by the request's path (which already
/// holds the spec's `servers[0].url` path). Nothing is cached, no cookie
/// is stored, and nothing is logged.
public struct URLSessionTransport: APIClientTransport {
    /// The server's root, e.g. `http://127.0.0.1:8080`.
    public let baseURL: URL
    private let session: URLSession
    private let root: String

    /// `timeout`: seconds to wait for each request's answer.
    public init(baseURL: URL, timeout: Double = 60) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpShouldSetCookies = false
        configuration.timeoutIntervalForRequest = timeout
        self.init(baseURL: baseURL, session: URLSession(configuration: configuration))
    }

    /// Over a session of your own (its configuration, delegate and pool).
    public init(baseURL: URL, session: URLSession) {
        self.baseURL = baseURL
        self.session = session
        var root = baseURL.absoluteString
        while root.hasSuffix("/") { root.removeLast() }
        self.root = root
    }

    public func send(_ request: ClientRequest) async throws -> ClientResponse {
        guard let url = URL(string: root + request.pathAndQuery) else {
            throw URLError(.badURL)
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers {
            urlRequest.addValue(value, forHTTPHeaderField: name)
        }
        urlRequest.httpBody = request.body.map { Data($0) }
        let (data, response) = try await session.data(for: urlRequest)
        guard let http = response as? HTTPURLResponse else {
            throw URLError(.badServerResponse)
        }
        var headers: [(name: String, value: String)] = []
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers.append((name, value)) }
        }
        return ClientResponse(status: http.statusCode, headers: headers, body: Array(data))
    }
}
