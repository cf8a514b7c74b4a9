#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GeneratorDiagnostics
import OpenAPIModel
import OpenAPIParser
import OpenAPITranslator
import SwiftRenderer

/// The whole generator as one call: parse → translate → render, plus the
/// API reference (`API.md`) from the same model.
///
/// Each stage's output is a plain value (`OpenAPIDocument`, `[SwiftFile]`,
/// `[GeneratedFile]`), so tests can stop after any of them.
///
///     let output = GeneratorPipeline.run(specPath: "openapi.yaml")
///     try output.write(to: "Generated")
public enum GeneratorPipeline {
    /// A rendered file: its name and its text.
    public struct GeneratedFile: Sendable, Equatable {
        public var name: String
        public var contents: String
    }

    public struct Output: Sendable {
        /// Empty when the spec has errors: nothing is generated from a broken spec.
        public var files: [GeneratedFile]
        public var diagnostics: DiagnosticCollector
        public var parse: OpenAPIParser.Result

        /// Writes every file into `folder` (created if needed). A file whose
        /// contents are unchanged is not touched, so builds that watch the
        /// folder do not redo work.
        public func write(to folder: String) throws {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for file in files {
                let path = folder.hasSuffix("/") ? folder + file.name : folder + "/" + file.name
                let data = Data(file.contents.utf8)
                if FileManager.default.contents(atPath: path) == data { continue }
                try data.write(to: URL(fileURLWithPath: path))
            }
        }
    }

    public static func run(specPath: String) -> Output {
        let parsed = OpenAPIParser.parse(fileAtPath: specPath)
        var diagnostics = parsed.diagnostics
        guard parsed.succeeded, let document = parsed.document else {
            return Output(files: [], diagnostics: diagnostics, parse: parsed)
        }
        let swiftFiles = OpenAPITranslator.translate(document, diagnostics: &diagnostics)
        var files = swiftFiles.map { GeneratedFile(name: $0.name, contents: SwiftRenderer.render($0)) }
        files.append(GeneratedFile(name: "API.md", contents: APIReference.markdown(document)))
        return Output(files: files, diagnostics: diagnostics, parse: parsed)
    }
}
