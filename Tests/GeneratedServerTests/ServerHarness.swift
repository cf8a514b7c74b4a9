import APIRuntime
import APIServer
import Foundation
import HTTPTypes
import HTTPTestClient
import Hummingbird
import Logging
import ServiceLifecycle
import TestSupport
import Testing

/// Runs the generated server on a real port and hands the test a client.
func withServer(_ body: @Sendable (LoopbackClient) async throws -> Void) async throws {
    var logger = Logger(label: "generated-server-test")
    logger.logLevel = .warning
    let responder = APIResponder(routes: EchoService().routes(authenticator: TestAuthenticator()), errorBody: Schemas.Error.self, logger: logger)
    try await withRunningApplication(logger: logger, { onRunning in
        APIHTTPServer.application(responder: responder, host: "127.0.0.1", port: 0, logger: logger, onRunning: onRunning)
    }, body)
}

/// The parsed JSON of a response body.
func json(_ response: LoopbackResponse) throws -> JSON {
    try JSON.parse(response.body)
}

/// The field errors of an error body, as "field: message".
func fieldErrors(_ response: LoopbackResponse) throws -> [String] {
    let body = try json(response)
    return (body.objectValue?["errors"]?.arrayValue ?? []).compactMap { item in
        guard let field = item.objectValue?["field"]?.stringValue, let message = item.objectValue?["message"]?.stringValue else { return nil }
        return "\(field): \(message)"
    }
}

/// Every error response: the published body, with the header's correlation id.
func expectErrorBody(_ response: LoopbackResponse, code: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let body = try json(response)
    let object = try #require(body.objectValue, sourceLocation: sourceLocation)
    #expect(object["error"]?.stringValue == code, sourceLocation: sourceLocation)
    let message = object["message"]?.stringValue ?? ""
    #expect(message.count > 0, sourceLocation: sourceLocation)
    let header = response.header("X-Correlation-ID")
    #expect(object["correlationId"]?.stringValue == header, sourceLocation: sourceLocation)
    #expect(header.map { $0.count == 32 && $0.allSatisfy { "0123456789abcdef".contains($0) } } == true, sourceLocation: sourceLocation)
    #expect(response.header("Content-Type") == "application/json", sourceLocation: sourceLocation)
}

let itemID = "0b6c9a3e-5d7f-4a8e-9c1b-2d3e4f5a6b7c"
let admin = [("Authorization", "Bearer admin-token")]
let user = [("Authorization", "Bearer user-token")]
