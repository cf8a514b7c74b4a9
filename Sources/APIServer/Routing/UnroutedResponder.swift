import HTTPTypes
import Hummingbird

/// Answers requests that no operation of the API matched, before they
/// become the 404 of the error format: e.g. a web console's static files
/// served beside the API. It is asked only after routing found nothing, so
/// the API's own requests never reach it.
///
///     struct Robots: UnroutedResponder {
///         func response(to request: Request) -> Response? {
///             request.uri.path == "/robots.txt" ? Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "User-agent: *\n"))) : nil
///         }
///     }
public protocol UnroutedResponder: Sendable {
    /// The answer to `request`, or nil to let it be the API's 404.
    /// `X-Correlation-ID` is added and the request logged as for any other.
    func response(to request: Request) -> Response?
}
