import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GeneratorDiagnostics
import OpenAPIGenerator
import OpenAPIModel
import OpenAPIParser

/// `openapi-codegen SPEC --check`: parse, resolve and validate an OpenAPI
/// 3.0/3.1 description; print every diagnostic in compiler format
/// (`FILE:LINE:COL: error: …`) and a one-line summary.
/// `openapi-codegen SPEC --output DIR`: the same, then write the generated
/// Swift into DIR; with `--embed-document`, also `Document.swift`, the
/// spec's own text for the server to publish.
@main
struct OpenAPICodegen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openapi-codegen",
        abstract: "Tessera's OpenAPI generator.",
        discussion: """
            Reads an OpenAPI 3.0 or 3.1 description (YAML or JSON; other files are \
            followed through relative $refs) and reports every problem as \
            FILE:LINE:COL: error: MESSAGE. With --output, also writes the generated \
            Swift there (only when there is no error). Exits 0 when there are no \
            errors, 1 when there are.
            """
    )

    @Argument(help: "The OpenAPI description to read.")
    var spec: String

    @Flag(help: "Parse, resolve and validate the spec; print diagnostics and a summary.")
    var check = false

    @Option(help: "Write the generated Swift files into this folder.")
    var output: String?

    @Flag(help: "Do not print warnings (errors are always printed).")
    var noWarnings = false

    @Flag(help: "With --output, also write Document.swift: the spec file's exact text as APIDescription.document.")
    var embedDocument = false

    func validate() throws {
        guard check || output != nil else {
            throw ValidationError("Nothing to do: pass --check or --output DIR.")
        }
        guard !embedDocument || output != nil else {
            throw ValidationError("--embed-document needs --output DIR.")
        }
    }

    func run() throws {
        let generated: GeneratorPipeline.Output? = output == nil ? nil : GeneratorPipeline.run(specPath: spec, embedDocument: embedDocument)
        let result = generated?.parse ?? OpenAPIParser.parse(fileAtPath: spec)
        let diagnostics = generated?.diagnostics ?? result.diagnostics
        var standardError = StandardError()
        for diagnostic in diagnostics.sorted where !(noWarnings && diagnostic.severity == .warning) {
            print(diagnostic, to: &standardError)
        }
        print(summary(result, diagnostics: diagnostics))
        if let generated, let output, !diagnostics.hasErrors {
            do {
                try generated.write(to: output)
            } catch {
                print("error: cannot write to '\(output)': \(error)", to: &standardError)
                fflush(nil)
                Glibc.exit(1)
            }
        }
        // Like a compiler, leave without freeing the spec's trees and model:
        // the process is ending, and tearing them down costs as much as a
        // third of a large spec's run.
        fflush(nil)
        Glibc.exit(result.document != nil && !diagnostics.hasErrors ? 0 : 1)
    }

    private func summary(_ result: OpenAPIParser.Result, diagnostics: DiagnosticCollector) -> String {
        let counts = "\(diagnostics.errorCount) error\(diagnostics.errorCount == 1 ? "" : "s"), \(diagnostics.warningCount) warning\(diagnostics.warningCount == 1 ? "" : "s")"
        guard let document = result.document else {
            return "\(spec): not a usable OpenAPI document; \(counts)"
        }
        let operations = document.operations.count
        var parts = [
            "OpenAPI \(document.openapi)",
            "\(document.paths.count) path\(document.paths.count == 1 ? "" : "s")",
            "\(operations) operation\(operations == 1 ? "" : "s")",
            "\(document.components.schemas.count) schema\(document.components.schemas.count == 1 ? "" : "s")",
        ]
        if !document.webhooks.isEmpty {
            parts.append("\(document.webhooks.count) webhook\(document.webhooks.count == 1 ? "" : "s")")
        }
        if result.fileCount > 1 {
            parts.append("\(result.fileCount) files")
        }
        return "\(spec): \(parts.joined(separator: ", ")); \(counts)"
    }
}

/// `print(_:to:)` target for standard error.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var text = string
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}
