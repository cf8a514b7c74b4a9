/// The Swift files `openapi-codegen` writes for a target, named before the
/// spec is read, since a build plugin declares its outputs up front (and
/// cannot link the generator to ask it). The generator's own list is
/// `GeneratorPipeline.swiftFileNames`; OpenAPICodegenCLITests compiles this
/// file too (a symbolic link) and checks that the two lists, and the files
/// the tool writes, are the same.
enum OutputFiles {
    /// `modes` (any of types, server, client), each kind but
    /// `Document.swift` as `filesPerKind` files: `Types.swift`,
    /// `2-Types.swift` ... `<filesPerKind>-Types.swift` (part first, so that
    /// the sorted list SwiftPM compiles in batches interleaves the kinds;
    /// see FileSplit).
    static func names(modes: [String], filesPerKind: Int) -> [String] {
        func files(_ kind: String) -> [String] {
            (1...max(1, filesPerKind)).map { $0 == 1 ? "\(kind).swift" : "\($0)-\(kind).swift" }
        }
        var names: [String] = []
        if modes.contains("types") { names += files("Types") + files("Operations") }
        if modes.contains("server") { names += files("Server") }
        if modes.contains("client") { names += files("Client") }
        // With server, the plugin passes --embed-document.
        if modes.contains("server") { names.append("Document.swift") }
        return names
    }
}
