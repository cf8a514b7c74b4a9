import Foundation
import GeneratorDiagnostics
import OpenAPIModel
import OpenAPIParser
import Testing

/// Parses an in-memory spec named `spec.yaml`.
func parse(_ text: String) -> OpenAPIDocumentParser.Result {
    OpenAPIDocumentParser.parse(text: text, path: "spec.yaml")
}

/// Parses a spec that must come out with no error; returns the document.
func parseValid(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> OpenAPIDocument {
    let result = parse(text)
    let errors = result.diagnostics.sorted.filter { $0.severity == .error }
    #expect(errors.isEmpty, "unexpected errors: \(errors)", sourceLocation: sourceLocation)
    return try #require(result.document, sourceLocation: sourceLocation)
}

/// Every diagnostic of a spec, in compiler format, sorted by position.
func diagnosticLines(_ text: String) -> [String] {
    parse(text).diagnostics.sorted.map(\.description)
}

/// A minimal valid 3.1 document around `paths` and `components` YAML.
func spec(version: String = "3.1.0", paths: String = "{}", components: String? = nil, extra: String = "") -> String {
    var text = """
        openapi: \(version)
        info:
          title: Test
          version: '1'
        paths: \(paths)

        """
    if let components {
        text += "components:\n" + components.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") + "\n"
    }
    return text + extra
}

/// A fresh folder for multi-file specs, removed by the caller's `defer`.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-parser-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func write(_ text: String, to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
}

extension Referenceable {
    /// The value, failing the test when it is a reference.
    func require(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Value {
        try #require(value, sourceLocation: sourceLocation)
    }
}
