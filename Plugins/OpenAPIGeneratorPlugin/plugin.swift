import Foundation
import PackagePlugin

/// Runs `openapi-codegen` on a target's OpenAPI description at build time,
/// so editing the spec and running `swift build` is the whole workflow.
///
/// The spec is `openapi.yaml` (or `openapi.json`) in the target's folder,
/// else the package root's. What is generated is chosen by
/// `openapi-codegen.json` in the target's folder, else beside the spec:
/// `{"generate": ["types", "server", "client"]}`, any of the three (server
/// and client need types); without the file or the key, types and server;
/// any other key is an error. `types` is `Types.swift` and `Operations.swift`; `server` is `Server.swift` and
/// `Document.swift` (the spec's exact text as `APIDescription.document`, so
/// the server publishes the very description it was compiled from);
/// `client` is `Client.swift`. Each kind but `Document.swift` is spread over
/// `filesPerKind` files (`{"filesPerKind": 8}`; default 4): `Types.swift`,
/// `2-Types.swift` ... `4-Types.swift`, so a large spec's code compiles in
/// parallel; a small spec's code stays in the first file of each kind and
/// the others hold only a comment. They are compiled into the target; the
/// generator's diagnostics (`openapi.yaml:LINE:COL: error: …`) are build
/// errors at the spec's line. Every YAML or JSON file beside the spec is an
/// input too, so a multi-file spec regenerates when any of its files changes.
/// SwiftPM does not run this plugin again when only the configuration's
/// contents change (it does when the manifest or the file list changes), so
/// the tool checks that the file still reads as the plugin read it and
/// otherwise fails, asking to touch Package.swift (`ConfigurationDigest`).
@main
struct OpenAPIGeneratorPlugin: BuildToolPlugin {
    /// The configuration file's name.
    static let configurationName = "openapi-codegen.json"

    /// Files per kind without `filesPerKind` in the configuration.
    static let defaultFilesPerKind = 4

    /// What is generated without `generate` in the configuration.
    static let defaultModes = ["types", "server"]

    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let candidates = [target.directoryURL, context.package.directoryURL].flatMap { folder in
            ["openapi.yaml", "openapi.json"].map { folder.appending(path: $0) }
        }
        guard let spec = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            Diagnostics.error("no openapi.yaml in \(target.directoryURL.path) or the package root for target '\(target.name)'")
            return []
        }
        let folder = spec.deletingLastPathComponent()
        let configuration = [target.directoryURL, folder]
            .map { $0.appending(path: Self.configurationName) }
            .first { FileManager.default.fileExists(atPath: $0.path) }
        let modes: [String]
        let filesPerKind: Int
        var configurationBytes: Data?
        do {
            configurationBytes = try configuration.map { try Data(contentsOf: $0) }
            (modes, filesPerKind) = try configurationBytes.map(Self.settings(from:)) ?? (Self.defaultModes, Self.defaultFilesPerKind)
        } catch {
            Diagnostics.error("\(configuration?.path ?? Self.configurationName): \(error)")
            return []
        }
        // Declared up front, exactly the files the tool writes.
        let outputs = OutputFiles.names(modes: modes, filesPerKind: filesPerKind)

        let output = context.pluginWorkDirectoryURL.appending(path: "GeneratedSources")
        let siblings = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        var inputs = [spec] + siblings.filter { ["yaml", "yml", "json"].contains($0.pathExtension) && $0 != spec }
        if let configuration, !inputs.contains(configuration) { inputs.append(configuration) }
        var arguments = [spec.path, "--output", output.path]
        for mode in modes { arguments += ["--mode", mode] }
        arguments += ["--files-per-kind", String(filesPerKind)]
        if modes.contains("server") { arguments.append("--embed-document") }
        // SwiftPM does not run this plugin again when only the file's
        // contents change; the tool then refuses the stale plan.
        if let configuration, let bytes = configurationBytes {
            arguments += ["--plugin-configuration", configuration.path, "--plugin-configuration-digest", ConfigurationDigest.hex(bytes)]
        }
        return [
            .buildCommand(
                displayName: "Generating Swift from \(spec.lastPathComponent) for \(target.name)",
                executable: try context.tool(named: "openapi-codegen").url,
                arguments: arguments,
                inputFiles: inputs,
                outputFiles: outputs.map { output.appending(path: $0) }
            ),
        ]
    }

    /// Why a configuration file cannot be used.
    struct ConfigurationError: Error, CustomStringConvertible {
        var description: String
    }

    /// The `generate` list and `filesPerKind` of a configuration file:
    /// `{"generate": ["types", "client"], "filesPerKind": 8}`, either key
    /// optional. Any other key is refused, so a misspelt one is not
    /// silently ignored.
    static func settings(from data: Data) throws -> (modes: [String], filesPerKind: Int) {
        let example = #"{"generate": ["types", "server", "client"], "filesPerKind": 4}"#
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ConfigurationError(description: "expected a JSON object such as \(example)")
        }
        if let unknown = object.keys.sorted().first(where: { !["generate", "filesPerKind"].contains($0) }) {
            throw ConfigurationError(description: "unknown key '\(unknown)': the keys are generate and filesPerKind, as in \(example)")
        }
        let generate: [String]
        switch object["generate"] {
        case nil: generate = defaultModes
        case let list as [String]: generate = list
        default: throw ConfigurationError(description: #"generate: expected a list such as ["types", "server", "client"]"#)
        }
        var filesPerKind = defaultFilesPerKind
        if let value = object["filesPerKind"] {
            guard let count = value as? Int, (1...64).contains(count) else {
                throw ConfigurationError(description: "filesPerKind: expected a whole number from 1 to 64")
            }
            filesPerKind = count
        }
        let known = ["types", "server", "client"]
        if let unknown = generate.first(where: { !known.contains($0) }) {
            throw ConfigurationError(description: "unknown part '\(unknown)' in generate: use types, server or client")
        }
        if !generate.contains("types"), let part = generate.first(where: { $0 != "types" }) {
            throw ConfigurationError(description: "generate: \(part) needs types (its code uses the generated Schemas and Operations)")
        }
        if generate.isEmpty {
            throw ConfigurationError(description: "generate: choose at least one of types, server, client")
        }
        return (known.filter(generate.contains), filesPerKind)
    }
}
