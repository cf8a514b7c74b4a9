import APIServer
import Foundation
import Logging
import PetStoreAPI

// petstore-server [PORT]: serves the petstore on 127.0.0.1 (port 0 picks a
// free one). Routes live under the path of the spec's `servers[0].url`
// (/v2); `routes(prefix:)` changes it.
let port = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 8080
let logger = Logger(label: "petstore")
let responder = APIResponder(routes: PetStore().routes(), errorBody: Schemas.Error.self, logger: logger)
let application = APIHTTPServer.application(responder: responder, host: "127.0.0.1", port: port, logger: logger) { port in
    print("petstore-server: listening on http://127.0.0.1:\(port)/v2")
    fflush(nil)  // the line reaches a pipe at once
}
try await APIHTTPServer.run(application, shutdownTimeout: .seconds(5), logger: logger)
