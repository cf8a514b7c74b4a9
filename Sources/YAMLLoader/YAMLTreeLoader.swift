import CLibYAML
import GeneratorDiagnostics
import LocalFiles

/// Loads one YAML (or JSON) document into a `YAMLNode` tree with the system
/// libyaml's event parser.
///
/// libyaml does the syntax; this loader adds what libyaml leaves out and
/// OpenAPI documents need:
/// - YAML 1.2 core-schema scalar resolution (see `CoreSchema`);
/// - 1-based line and column on every node;
/// - aliases that share their anchor's node, with the fully expanded size
///   bounded so an alias bomb ("billion laughs") is refused;
/// - merge keys (`<<: *base`), which libyaml reports as plain scalars;
/// - duplicate mapping keys, reported with both lines (libyaml accepts them);
/// - a nesting-depth limit (libyaml 0.2.5 has none).
///
///     var diagnostics = DiagnosticCollector()
///     let root = try YAMLTreeLoader.load(contentsOf: "openapi.yaml", diagnostics: &diagnostics)
///     print(root["info"]?["title"]?.scalar?.text ?? "")
public enum YAMLTreeLoader {
    /// Bounds that keep hostile input from costing unbounded time or memory.
    public struct Limits: Sendable {
        /// Deepest nesting of sequences and mappings.
        public var maxDepth: Int
        /// Largest document, counted in nodes with every alias expanded.
        public var maxExpandedNodes: Int

        public init(maxDepth: Int = 256, maxExpandedNodes: Int = 5_000_000) {
            self.maxDepth = maxDepth
            self.maxExpandedNodes = maxExpandedNodes
        }
    }

    /// Reads and loads the file at `path`. Problems that still leave a usable
    /// tree (a duplicate key, an unknown tag) go to `diagnostics`; ones that do
    /// not (syntax errors, limits) are thrown.
    public static func load(
        contentsOf path: String,
        limits: Limits = Limits(),
        diagnostics: inout DiagnosticCollector
    ) throws(FatalDiagnostic) -> YAMLNode {
        let file = SourceFile(path: path)
        let bytes: [UInt8]
        do {
            bytes = try FileIO.readFile(path)
        } catch {
            throw FatalDiagnostic(.error(error.description, at: nil))
        }
        return try load(bytes, file: file, limits: limits, diagnostics: &diagnostics)
    }

    /// Loads a document from memory; `file` names it in locations.
    public static func load(
        _ bytes: [UInt8],
        file: SourceFile,
        limits: Limits = Limits(),
        diagnostics: inout DiagnosticCollector
    ) throws(FatalDiagnostic) -> YAMLNode {
        var builder = TreeBuilder(file: file, limits: limits)
        let result: Result<YAMLNode, FatalDiagnostic> = bytes.withUnsafeBytes { buffer in
            builder.run(buffer)
        }
        for diagnostic in builder.diagnostics.diagnostics {
            diagnostics.emit(diagnostic)
        }
        return try result.get()
    }

    /// Convenience for tests and small inputs.
    public static func load(
        _ text: String,
        file: SourceFile = SourceFile(path: "<memory>"),
        limits: Limits = Limits(),
        diagnostics: inout DiagnosticCollector
    ) throws(FatalDiagnostic) -> YAMLNode {
        try load(Array(text.utf8), file: file, limits: limits, diagnostics: &diagnostics)
    }
}
