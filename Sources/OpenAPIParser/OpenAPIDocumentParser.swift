import GeneratorDiagnostics
import OpenAPIModel
import YAMLLoader

/// The generator's front end: a spec file (YAML or JSON, one file or many
/// joined by relative `$ref`s) → a typed, self-contained `OpenAPIDocument`,
/// with every problem reported at its file, line and column.
///
///     let result = OpenAPIDocumentParser.parse(fileAtPath: "openapi.yaml")
///     for diagnostic in result.diagnostics.sorted { print(diagnostic) }
///     guard let document = result.document, !result.diagnostics.hasErrors else { exit(1) }
public enum OpenAPIDocumentParser {
    /// What a parse produced: the model (nil when the file could not be read
    /// as OpenAPI 3.x at all) and every diagnostic.
    public struct Result: Sendable {
        public var document: OpenAPIDocument?
        public var diagnostics: DiagnosticCollector
        /// How many files were read (the root and those reached through `$ref`).
        public var fileCount: Int

        /// True when there is a document and no error.
        public var succeeded: Bool { document != nil && !diagnostics.hasErrors }

        /// The YAML trees the document was read from. They live as long as
        /// the result, so a tool that exits without tearing down (as
        /// `openapi-codegen` does) never spends time freeing them.
        let sources: [YAMLNode]
    }

    public static func parse(fileAtPath path: String, limits: YAMLTreeLoader.Limits = YAMLTreeLoader.Limits()) -> Result {
        var diagnostics = DiagnosticCollector()
        let root: YAMLNode
        do {
            root = try YAMLTreeLoader.load(contentsOf: path, limits: limits, diagnostics: &diagnostics)
        } catch {
            diagnostics.emit(error.diagnostic)
            return Result(document: nil, diagnostics: diagnostics, fileCount: 0, sources: [])
        }
        return parse(root: root, limits: limits, diagnostics: diagnostics)
    }

    /// Parses a spec held in memory; relative `$ref`s resolve from the folder
    /// of `path`, which also names the spec in diagnostics.
    public static func parse(text: String, path: String = "<memory>", limits: YAMLTreeLoader.Limits = YAMLTreeLoader.Limits()) -> Result {
        parse(bytes: Array(text.utf8), path: path, limits: limits)
    }

    /// Parses a spec held in memory as the bytes a file would hold (any
    /// encoding libyaml reads, byte-order mark included), exactly as
    /// `parse(fileAtPath:)` would; `path` works as for `parse(text:path:)`.
    public static func parse(bytes: [UInt8], path: String = "<memory>", limits: YAMLTreeLoader.Limits = YAMLTreeLoader.Limits()) -> Result {
        var diagnostics = DiagnosticCollector()
        let root: YAMLNode
        do {
            root = try YAMLTreeLoader.load(bytes, file: SourceFile(path: path), limits: limits, diagnostics: &diagnostics)
        } catch {
            diagnostics.emit(error.diagnostic)
            return Result(document: nil, diagnostics: diagnostics, fileCount: 0, sources: [])
        }
        return parse(root: root, limits: limits, diagnostics: diagnostics)
    }

    private static func parse(root: YAMLNode, limits: YAMLTreeLoader.Limits, diagnostics: DiagnosticCollector) -> Result {
        let files = SpecFiles(limits: limits)
        let builder = ModelBuilder(rootNode: root, files: files)
        builder.diagnostics = diagnostics
        guard let document = builder.document() else {
            return Result(document: nil, diagnostics: builder.diagnostics, fileCount: files.count, sources: files.roots)
        }
        var checks = SemanticChecks(document: document, diagnostics: builder.diagnostics)
        checks.run()
        return Result(document: document, diagnostics: checks.diagnostics, fileCount: files.count, sources: files.roots)
    }
}
