import Foundation
import PackagePlugin

/// Runs `openapi-codegen` on a target's OpenAPI description at build time,
/// so editing the spec and running `swift build` is the whole workflow.
///
/// The spec is `openapi.yaml` (or `openapi.json`) in the target's folder,
/// else the package root's. The generated `Types.swift`, `Operations.swift`,
/// `Server.swift` and `Document.swift` (the spec's exact text as
/// `APIDescription.document`, so the server publishes the very description
/// it was compiled from) are compiled into the target; the generator's
/// diagnostics (`openapi.yaml:LINE:COL: error: …`) are build errors at the
/// spec's line. Every YAML or JSON file beside the spec is an input too, so
/// a multi-file spec regenerates when any of its files changes.
@main
struct OpenAPIGeneratorPlugin: BuildToolPlugin {
    static let outputs = ["Types.swift", "Operations.swift", "Server.swift", "Document.swift"]

    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let candidates = [target.directoryURL, context.package.directoryURL].flatMap { folder in
            ["openapi.yaml", "openapi.json"].map { folder.appending(path: $0) }
        }
        guard let spec = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            Diagnostics.error("no openapi.yaml in \(target.directoryURL.path) or the package root for target '\(target.name)'")
            return []
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "GeneratedSources")
        let folder = spec.deletingLastPathComponent()
        let siblings = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        let inputs = [spec] + siblings.filter { ["yaml", "yml", "json"].contains($0.pathExtension) && $0 != spec }
        return [
            .buildCommand(
                displayName: "Generating Swift from \(spec.lastPathComponent) for \(target.name)",
                executable: try context.tool(named: "openapi-codegen").url,
                arguments: [spec.path, "--output", output.path, "--embed-document"],
                inputFiles: inputs,
                outputFiles: Self.outputs.map { output.appending(path: $0) }
            ),
        ]
    }
}
