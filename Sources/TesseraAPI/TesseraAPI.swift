// TesseraAPI: Tessera's HTTP contract as Swift.
//
// This module's code is generated at build time by the OpenAPIGeneratorPlugin
// from the package root's openapi.yaml: `Schemas` (the models),
// `Operations` (each operation's input and output), `APIProtocol` (one async
// method per operation) and `routes(authenticator:)`. Its checked-in twin is
// Generated/. The service implements `APIProtocol`; a change to the spec that
// removes a field or an operation is a compile error there.
@_exported import APIRuntime
@_exported import APIServer
