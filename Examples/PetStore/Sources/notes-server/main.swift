import APIServer
import Foundation
import Logging
import NotesAPI

// notes-server [PORT]: serves the notes API on 127.0.0.1 under /api; the
// bearer token is NOTES_TOKEN (it stands for "ada").
let port = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 8081
guard let token = ProcessInfo.processInfo.environment["NOTES_TOKEN"], !token.isEmpty else {
    fatalError("notes-server: set NOTES_TOKEN to the bearer token to accept")
}
let logger = Logger(label: "notes")
let authenticator = BearerTokens(holders: [token: "ada"])
// No `errorBody:`: errors are RFC 9457 problem details (ProblemDetails).
let responder = APIResponder(routes: Notes().routes(authenticator: authenticator), logger: logger)
let application = APIHTTPServer.application(responder: responder, host: "127.0.0.1", port: port, logger: logger) { port in
    print("notes-server: listening on http://127.0.0.1:\(port)/api")
    fflush(nil)  // the line reaches a pipe at once
}
try await APIHTTPServer.run(application, shutdownTimeout: .seconds(5), logger: logger)
