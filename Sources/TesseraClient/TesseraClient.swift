// A client for Tessera's API, generated at build time from the package's
// openapi.yaml (openapi-codegen.json here chooses types and client, so
// this module holds `Schemas`, `Operations` and `Client`, and no server).
//
//     import APIClient
//     import TesseraClient
//
//     let client = Client(
//         transport: URLSessionTransport(baseURL: URL(string: "http://127.0.0.1:8080")!),
//         credentials: ClientCredentials(["BearerAuth": adminToken])
//     )
//     if case .ok(let me) = try await client.getSelf() { print(me.user.email) }
//
// Every documented status is a case of the operation's `Output`; an
// undocumented status or a body that breaks the schema throws
// `APIClientError`.
