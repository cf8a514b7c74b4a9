import GeneratorDiagnostics
import LocalFiles
import OpenAPIModel
import OpenAPIParser
import OpenAPITranslator
import SwiftRenderer

/// The whole generator as one call: parse → translate → render, plus the
/// API reference (`API.md`) from the same model and, on request, the spec
/// itself as Swift (`Document.swift`).
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
        public var parse: OpenAPIDocumentParser.Result

        /// Writes every file into `folder` (created if needed). A file whose
        /// contents are unchanged is not touched, so builds that watch the
        /// folder do not redo work. Each file is replaced atomically: a reader
        /// sees the old text or the new, never a part. Parts beyond the
        /// current split left by an earlier run with more files per kind
        /// (`9-Types.swift` after `--files-per-kind 4`), for the kinds written
        /// now, are removed when the generator wrote them, so a folder
        /// compiled as it is does not declare their types twice.
        public func write(to folder: String) throws(FileIO.Failure) {
            try FileIO.createDirectories(folder)
            let prefix = folder.hasSuffix("/") ? folder : folder + "/"
            // One listing of the folder rather than a look for every file
            // that might be there (each of the 63 possible parts of each
            // kind): on a small spec, the run is mostly system calls.
            let present = Set(FileIO.entryNames(folder))
            for file in files {
                let path = prefix + file.name
                let bytes = Array(file.contents.utf8)
                if present.contains(file.name), (try? FileIO.readFile(path)) == bytes { continue }
                try FileIO.writeFile(bytes, to: path)
            }
            let written = Set(files.map(\.name))
            let generated = Array("// \(DocumentTranslator.header[0])".utf8)
            for kind in ["Types", "Operations", "Server", "Client"] where written.contains(FileSplit.fileName(kind, part: 1)) {
                for part in 2...FileSplit.allowedFiles.upperBound {
                    let name = FileSplit.fileName(kind, part: part)
                    guard present.contains(name), !written.contains(name), let bytes = try? FileIO.readFile(prefix + name),
                          bytes.starts(with: generated) else { continue }
                    try FileIO.removeFile(prefix + name)
                }
            }
        }
    }

    /// With `embedDocument`, also `Document.swift`: the root spec file's
    /// text as `APIDescription.document`. The bytes embedded are the very
    /// bytes parsed (read once), so the two cannot differ. `modes` chooses
    /// the Swift files (types and server unless told otherwise), `split`
    /// how many files each kind of them is spread over (`FileSplit`).
    public static func run(specPath: String, embedDocument: Bool = false, modes: GenerationMode = .default, split: FileSplit = .single) -> Output {
        let parsed: OpenAPIDocumentParser.Result
        var embedded: String?
        if embedDocument, let bytes = try? FileIO.readFile(specPath) {
            guard let text = DocumentEmbedding.utf8Text(bytes) else {
                let parsed = OpenAPIDocumentParser.parse(bytes: bytes, path: specPath)
                var diagnostics = parsed.diagnostics
                diagnostics.error(
                    "cannot embed the description: the file is not UTF-8, and APIDescription.document is a String",
                    at: SourceLocation(file: SourceFile(path: specPath), line: 1, column: 1)
                )
                return Output(files: [], diagnostics: diagnostics, parse: parsed)
            }
            parsed = OpenAPIDocumentParser.parse(text: text, path: specPath)
            embedded = text
        } else {
            // Unreadable: the parser reports it.
            parsed = OpenAPIDocumentParser.parse(fileAtPath: specPath)
        }
        var diagnostics = parsed.diagnostics
        guard parsed.succeeded, let document = parsed.document else {
            return Output(files: [], diagnostics: diagnostics, parse: parsed)
        }
        let swiftFiles = DocumentTranslator.translate(document, modes: modes, split: split, diagnostics: &diagnostics)
        var files = swiftFiles.map { GeneratedFile(name: $0.name, contents: SwiftFileRenderer.render($0)) }
        if let embedded {
            files.append(GeneratedFile(name: DocumentEmbedding.fileName, contents: DocumentEmbedding.swiftFile(text: embedded)))
        }
        files.append(GeneratedFile(name: "API.md", contents: APIReference.markdown(document)))
        return Output(files: files, diagnostics: diagnostics, parse: parsed)
    }

    /// The Swift files `run` writes for these options, whatever the spec
    /// (when it has no error), in the order written: what a build plugin
    /// declares up front (Plugins/OpenAPIGeneratorPlugin computes the same
    /// list without this module).
    public static func swiftFileNames(embedDocument: Bool = false, modes: GenerationMode = .default, split: FileSplit = .single) -> [String] {
        var names: [String] = []
        if modes.contains(.types) { names += split.fileNames("Types") + split.fileNames("Operations") }
        if modes.contains(.server) { names += split.fileNames("Server") }
        if modes.contains(.client) { names += split.fileNames("Client") }
        if embedDocument { names.append(DocumentEmbedding.fileName) }
        return names
    }
}
