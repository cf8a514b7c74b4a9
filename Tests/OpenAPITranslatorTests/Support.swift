import GeneratorDiagnostics
import OpenAPIGenerator
import OpenAPIParser
import OpenAPITranslator
import SwiftRenderer
import SwiftRepresentation
import Testing

/// Generates Swift for an in-memory spec; returns each file's text by name.
func generate(_ yaml: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> (files: [String: String], diagnostics: [Diagnostic]) {
    let parsed = OpenAPIDocumentParser.parse(text: yaml, path: "spec.yaml")
    let document = try #require(parsed.document, sourceLocation: sourceLocation)
    #expect(!parsed.diagnostics.hasErrors, "\(parsed.diagnostics.sorted)", sourceLocation: sourceLocation)
    var diagnostics = parsed.diagnostics
    let files = DocumentTranslator.translate(document, diagnostics: &diagnostics)
    var rendered: [String: String] = [:]
    for file in files { rendered[file.name] = SwiftFileRenderer.render(file) }
    return (rendered, diagnostics.sorted)
}

/// A 3.1 document whose components/schemas are `schemas` (YAML, indented
/// as under `schemas:`).
func schemaSpec(_ schemas: String) -> String {
    "openapi: 3.1.0\ninfo: {title: T, version: '1'}\ncomponents:\n  schemas:\n"
        + schemas.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n") + "\n"
}

/// The declaration of `name` inside `Types.swift` (from its doc comment or
/// declaration line to its closing brace at the same indentation).
func declaration(_ name: String, in file: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String? {
    let lines = file.split(separator: "\n", omittingEmptySubsequences: false)
    guard let start = lines.firstIndex(where: { $0.contains(" \(name)") && ($0.contains("struct ") || $0.contains("enum ") || $0.contains("typealias ")) }) else {
        return nil
    }
    let indent = lines[start].prefix { $0 == " " }
    var first = start
    while first > 0, lines[first - 1].hasPrefix(indent + "///") { first -= 1 }
    if lines[start].contains("typealias ") { return lines[first...start].map { $0.dropFirst(indent.count) }.joined(separator: "\n") }
    guard let end = lines[start...].firstIndex(where: { $0 == indent + "}" }) else { return nil }
    return lines[first...end].map { $0.dropFirst(indent.count) }.joined(separator: "\n")
}
