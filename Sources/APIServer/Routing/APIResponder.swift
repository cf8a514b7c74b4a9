import APIRuntime
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
#if canImport(Glibc)
import Glibc
#endif

/// A generated operation's entry point: from the request to its response.
public typealias APIHandler = @Sendable (APIRequest) async throws -> Response

/// One route: the method and full path template (server prefix included)
/// of an operation, and its generated handler.
public struct APIRoute: Sendable {
    /// The HTTP method in upper case (`GET`); HEAD is served by GET's route.
    public var method: String
    /// The full path template, prefix included (`/v1/tokens/{token_id}`).
    public var template: String
    /// The operation's id, as the spec names it (`getToken`): the metrics' label and the key of `bodyLimits`.
    public var operationID: String
    /// Runs the operation: security, decoding, the service's method, the response.
    public var handler: APIHandler
    /// This operation's body limit, when not the responder's (set through
    /// `APIResponder`'s `bodyLimits`).
    public var maxBodySize: Int?

    /// A route; generated `routes(authenticator:prefix:)` makes one per operation.
    public init(method: String, template: String, operationID: String, handler: @escaping APIHandler) {
        self.method = method
        self.template = template
        self.operationID = operationID
        self.handler = handler
    }
}

/// The request context of an API server: Hummingbird's core storage plus
/// the peer's address, turned into text only when something asks for it
/// (most requests never do).
public struct APIRequestContext: RequestContext {
    /// Hummingbird's per-request storage (logger, allocator).
    public var coreContext: CoreRequestContextStorage
    let peer: SocketAddress?

    /// The context of a request read from `source`'s channel, keeping its peer address.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress
    }

    /// The peer's IP address as text; nil for a Unix socket.
    public var remoteAddress: String? { peer?.ipAddress }
}

/// Answers every request of an API: routes it (404 for unknown paths, 405
/// with `Allow` for known paths and other methods, HEAD through GET), runs
/// the generated handler, turns every failure into the spec's error body,
/// sets `X-Correlation-ID` on every response, and logs one line per request.
public struct APIResponder: HTTPResponder {
    /// The request context this responder is served with.
    public typealias Context = APIRequestContext

    /// A route and its operation's metrics (nil without `metrics`).
    struct Routed: Sendable {
        var route: APIRoute
        var metrics: RequestMetrics.Operation?
    }

    let routes: RouteTable<Routed>
    let errorBody: @Sendable (APIError, String) -> [UInt8]
    /// The error body's media type.
    let errorContentType: String
    let logger: Logger
    let maxBodySize: Int
    let redactPath: @Sendable (Substring) -> String
    let clientAddresses: ClientAddressPolicy
    let gate: (any APIRequestGate)?
    let describeFailure: @Sendable (any Error) -> String
    let isUnavailable: @Sendable (any Error) -> Bool
    let metrics: RequestMetrics?
    let unrouted: (any UnroutedResponder)?

    /// - Parameters:
    ///   - routes: every operation's route (generated `routes(authenticator:)`).
    ///   - errorBody: the spec's error schema (a generated `APIErrorBody`);
    ///     by default `ProblemDetails.self`, RFC 9457 problem details, for a
    ///     spec that marks none.
    ///   - maxBodySize: larger request bodies get 413 (default 64 KiB).
    ///   - bodyLimits: other limits for some operations, by operation id
    ///     (e.g. a webhook whose reports are larger).
    ///   - redactPath: how a request's path appears in the log line (e.g.
    ///     with anything that looks like a credential masked). Error
    ///     messages never repeat the path, so a secret pasted into a URL is
    ///     not echoed back.
    ///   - clientAddresses: which address a request comes from (the peer,
    ///     or a trusted proxy's `X-Forwarded-For`).
    ///   - gate: sees each routed request before its handler runs and may
    ///     refuse it, and sees each answer (e.g. to throttle failed
    ///     authentication per client).
    ///   - describeFailure: how an internal error appears on its request's
    ///     (error-level) log line; the default is its type and description
    ///     (`String(reflecting:)`). Pass your own when an error's description
    ///     may carry request data, a statement's arguments or a secret.
    ///   - isUnavailable: whether an internal error means a dependency
    ///     (the database) cannot be reached right now: answered 503
    ///     `service_unavailable` instead of 500 (default: never).
    ///   - metrics: counts every answer by operation and status and times
    ///     it (`RequestMetrics`); nil records nothing.
    ///   - unrouted: answers requests no operation matched (counted as
    ///     `unmatched`), e.g. static files; nil makes each of them a 404.
    public init(
        routes: [APIRoute], errorBody: any APIErrorBody.Type = ProblemDetails.self, maxBodySize: Int = 64 * 1024, bodyLimits: [String: Int] = [:], logger: Logger,
        redactPath: @escaping @Sendable (Substring) -> String = { String($0) },
        clientAddresses: ClientAddressPolicy = ClientAddressPolicy(),
        gate: (any APIRequestGate)? = nil,
        describeFailure: @escaping @Sendable (any Error) -> String = APIResponder.describe,
        isUnavailable: @escaping @Sendable (any Error) -> Bool = { _ in false },
        metrics: RequestMetrics? = nil,
        unrouted: (any UnroutedResponder)? = nil
    ) {
        self.unrouted = unrouted
        self.describeFailure = describeFailure
        self.isUnavailable = isUnavailable
        self.metrics = metrics
        self.redactPath = redactPath
        self.clientAddresses = clientAddresses
        self.gate = gate
        var table = RouteTable<Routed>()
        // One set of metrics per operation, shared by its methods (GET and HEAD).
        var operations: [String: RequestMetrics.Operation] = [:]
        for var route in routes {
            if let limit = bodyLimits[route.operationID] { route.maxBodySize = limit }
            var operation: RequestMetrics.Operation?
            if let metrics {
                operation = operations[route.operationID] ?? metrics.operation(route.operationID)
                operations[route.operationID] = operation
            }
            table.add(method: route.method, template: route.template, route: Routed(route: route, metrics: operation))
        }
        self.routes = table
        self.errorBody = { error, correlationID in
            var writer = JSONWriter()
            errorBody.make(status: error.status.code, message: error.message, correlationID: correlationID, fieldErrors: error.fieldErrors)
                .encode(to: &writer)
            return writer.bytes
        }
        self.errorContentType = errorBody.contentType
        self.maxBodySize = maxBodySize
        self.logger = logger
    }

    /// The default description of an internal error on its log line: its
    /// type and what it says of itself (`MyStore.Failure.diskFull("…")`).
    public static func describe(_ error: any Error) -> String {
        let type = String(reflecting: Swift.type(of: error))
        let text = String(reflecting: error)
        return text.hasPrefix(type) ? text : "\(type): \(text)"
    }

    /// Routes a request, runs its operation and answers; every failure becomes an error body, and one log line is written per request.
    public func respond(to request: Request, context: APIRequestContext) async throws -> Response {
        let start = ContinuousClock.now
        let correlationID = CorrelationID.validated(request.headers[.correlationID]) ?? CorrelationID.make()
        let method = request.method.rawValue
        let path = Substring(request.uri.path)
        var failure: String?
        var unavailable = false
        /// Who closed the connection before the request was read, if anyone.
        var closed: String?
        var response: Response
        var operation = metrics?.unmatched
        do {
            switch routes.match(method: method, path: path) {
            case .found(let routed, let parameters):
                let route = routed.route
                operation = routed.metrics
                let apiRequest = APIRequest(
                    request: request, pathValues: parameters, correlationID: correlationID,
                    peer: context.peer, logger: logger, maxBodySize: route.maxBodySize ?? maxBodySize, clientAddresses: clientAddresses,
                    receivedAt: request.headers[.receivedAt].flatMap { Int64($0) } ?? WallClock.microseconds()
                )
                if let gate {
                    if let refusal = gate.refusal(of: apiRequest, operationID: route.operationID) { throw refusal }
                    do {
                        response = try await route.handler(apiRequest)
                    } catch let error as APIError {
                        gate.answered(apiRequest, operationID: route.operationID, status: error.status.code)
                        throw error
                    }
                    gate.answered(apiRequest, operationID: route.operationID, status: response.status.code)
                } else {
                    response = try await route.handler(apiRequest)
                }
            case .methodNotAllowed(let allowed):
                throw APIError(.methodNotAllowed, "\(method) is not allowed on this path; use \(allowed.joined(separator: ", ")).", headers: [(name: "Allow", value: allowed.joined(separator: ", "))])
            case .notFound:
                if let answer = unrouted?.response(to: request) {
                    response = answer
                    break
                }
                throw APIError(.notFound, "No operation has this path; see the API description.")
            }
        } catch let error as APIError {
            response = errorResponse(error, correlationID: correlationID)
        } catch HTTPParserError.invalidEOFState {
            // The client hung up before sending the whole request: not a
            // fault, and no response can reach it.
            closed = "client"
            response = Response(status: .badRequest)
        } catch let error as ConnectionClosedByServer {
            closed = error.description
            response = Response(status: .badRequest)
        } catch let error as HTTPParserError {
            // Bad framing in the body (a malformed chunk size).
            var refusal = APIError.malformedRequest(error)
            refusal.headers.append((name: "Connection", value: "close"))
            response = errorResponse(refusal, correlationID: correlationID)
        } catch {
            // A fault, thrown by the service through its operation's
            // `Failure.unexpected` or by anything else: logged on the
            // request's line, never shown. An unreachable database (or
            // another dependency the service names) is a 503: try again
            // shortly; anything else a 500.
            let fault = (error as? UnexpectedFailure)?.underlying ?? error
            failure = describeFailure(fault)
            unavailable = isUnavailable(fault)
            response = errorResponse(
                unavailable
                    ? APIError(.serviceUnavailable, "The database cannot be reached; try again shortly.")
                    : APIError(.serverError, "An internal error occurred; quote the correlation id when reporting it."),
                correlationID: correlationID
            )
        }
        if request.method == .head {
            // The GET's headers, Content-Length included (RFC 9110 §9.3.2), without its body.
            let length = response.headers[.contentLength]
            response.body = ResponseBody()
            response.headers[.contentLength] = length
        }
        response.headers[.correlationID] = correlationID
        var metadata: Logger.Metadata = ["correlation_id": .string(correlationID)]
        if let failure { metadata["error"] = .string(failure) }
        if let closed { metadata["closed"] = .string(closed) }
        let status = closed == nil ? "\(response.status.code)" : "-"
        let elapsed = ContinuousClock.now - start
        // A request whose client or server closed it before it was read got no answer.
        if closed == nil { operation?.record(status: response.status.code, elapsed: elapsed) }
        // An internal fault is an error-level line, an unreachable database
        // a warning; every other answer is info.
        logger.log(level: failure == nil ? .info : unavailable ? .warning : .error,
                   "\(method) \(redactPath(path)) \(status) \(Self.milliseconds(elapsed)) ms", metadata: metadata)
        return response
    }

    /// The answer to a request the HTTP parser refused before it reached a
    /// route (oversized head, bad framing, invalid characters): the spec's
    /// error body with a new correlation id, `Connection: close`, and the
    /// request's log line, with `-` for the method and path it never had.
    func refusal(_ error: any Error, elapsed: Duration) -> (head: HTTPResponse, body: ByteBuffer) {
        let correlationID = CorrelationID.make()
        let refusal = APIError.malformedRequest(error)
        let bytes = errorBody(refusal, correlationID)
        let fields: HTTPFields = [
            .contentType: errorContentType, .contentLength: String(bytes.count),
            .connection: "close", .correlationID: correlationID,
        ]
        metrics?.unmatched.record(status: refusal.status.code, elapsed: elapsed)
        logger.info(
            "- - \(refusal.status.code) \(Self.milliseconds(elapsed)) ms",
            metadata: ["correlation_id": .string(correlationID), "refused": .string(String(describing: error))]
        )
        return (HTTPResponse(status: .init(code: refusal.status.code), headerFields: fields), ByteBuffer(bytes: bytes))
    }

    func errorResponse(_ error: APIError, correlationID: String) -> Response {
        APIRequest.response(
            status: error.status.code,
            bytes: errorBody(error, correlationID),
            contentType: errorContentType,
            headers: error.headers.map { ($0.name, $0.value) }
        )
    }

    private static func milliseconds(_ elapsed: Duration) -> String {
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let tenths = Int((milliseconds * 100).rounded())
        return "\(tenths / 100).\(tenths % 100 < 10 ? "0" : "")\(tenths % 100)"
    }
}

/// The system's wall clock.
public enum WallClock {
    /// Microseconds since 1970 (UTC).
    public static func microseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1000
    }
}

/// A seam between routing and an operation's handler: it may refuse a
/// routed request before the handler runs (the refusal is answered in the
/// error format like any other), and it sees the status of every answer
/// that reached a handler. Tessera throttles failed authentication with it.
/// Both run on every request: keep them cheap when there is nothing to do.
public protocol APIRequestGate: Sendable {
    /// An error to answer instead of running the operation; nil admits it.
    func refusal(of request: APIRequest, operationID: String) -> APIError?

    /// The status the operation answered (or the error it threw).
    func answered(_ request: APIRequest, operationID: String, status: Int)
}

extension APIError {
    /// What the HTTP parser refused, as a 400 the client can act on.
    static func malformedRequest(_ error: any Error) -> APIError {
        let problem = switch error as? HTTPParserError {
        case .headerOverflow: "its request line and headers are too large (at most 80 KiB and 1000 fields)"
        case .invalidContentLength: "Content-Length is not a valid length, or is sent with Transfer-Encoding"
        case .unexpectedContentLength: "Content-Length is repeated with different values, or sent with Transfer-Encoding"
        case .invalidHeaderToken, .invalidCharactersUsed: "a header contains a character HTTP does not allow"
        case .invalidChunkSize: "a chunk size of its chunked body is not valid"
        case .invalidURL: "its request target is not valid"
        case .invalidMethod: "its method is not valid"
        case .invalidVersion: "its HTTP version is not supported"
        case let parserError?: "\(parserError.debugDescription)"
        case nil: "it cannot be represented (\(error))"
        }
        return APIError(.badRequest, "The request is not valid HTTP/1.1: \(problem).")
    }
}

extension HTTPField.Name {
    /// Set by the server on every request it reads (replacing any a client
    /// sent): when the request's head arrived, in microseconds since 1970.
    public static let receivedAt = HTTPField.Name("X-Request-Received-At")!

    /// `X-Correlation-ID`.
    public static let correlationID = HTTPField.Name("X-Correlation-ID")!
}
