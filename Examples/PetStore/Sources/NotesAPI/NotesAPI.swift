// NotesAPI: the Swift of this folder's openapi.yaml, generated at build time by
// Tessera's OpenAPIGeneratorPlugin (Schemas, Operations, APIProtocol and
// routes). SwiftPM builds a target only when it has a Swift source, so this
// file is here; it also hands the runtime on to whoever imports NotesAPI.
@_exported import APIRuntime
@_exported import APIServer
