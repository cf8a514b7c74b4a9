#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GeneratorDiagnostics
import LocalFiles
import OpenAPIGenerator
import OpenAPIModel
import OpenAPIParser
import OpenAPITranslator

/// `openapi-codegen SPEC --check`: parse, resolve and validate an OpenAPI
/// 3.0/3.1 description; print every diagnostic in compiler format
/// (`FILE:LINE:COL: error: …`) and a one-line summary.
/// `openapi-codegen SPEC --output DIR`: the same, then write the generated
/// Swift into DIR; with `--embed-document`, also `Document.swift`, the
/// spec's own text for the server to publish. `--mode types|server|client`
/// (repeatable) chooses the files; without it, types and server.
/// `--files-per-kind N` spreads each kind over N files (`Types.swift`,
/// `2-Types.swift`, ...) so a large spec's code compiles in parallel.
/// `--plugin-configuration PATH --plugin-configuration-digest HEX` is what
/// the build plugin adds: generate nothing if PATH no longer has the bytes
/// the plugin planned the build from (see `ConfigurationDigest`).
///
/// The arguments are read by hand rather than with swift-argument-parser:
/// its reflection-based parsing was a fifth of the whole run on a small spec
/// (this tool runs once per build of every target that uses the plugin).
@main
struct OpenAPICodegen {
    static let synopsis = "openapi-codegen <spec> [--check] [--output <output>] [--mode <mode> ...] [--files-per-kind <n>] [--no-warnings] [--embed-document] [--plugin-configuration <path> --plugin-configuration-digest <hex>]"

    static let usage = """
        OVERVIEW: Tessera's OpenAPI generator.

        Reads an OpenAPI 3.0 or 3.1 description (YAML or JSON; other files are
        followed through relative $refs) and reports every problem as
        FILE:LINE:COL: error: MESSAGE. With --output, also writes the generated
        Swift there (only when there is no error). Exits 0 when there are no
        errors, 1 when there are, 64 for a usage error.

        USAGE: \(synopsis)

        ARGUMENTS:
          <spec>                  The OpenAPI description to read.

        OPTIONS:
          --check                 Parse, resolve and validate the spec; print diagnostics and a summary.
          --output <output>       Write the generated Swift files into this folder.
          --mode <mode>           What to generate, repeatable: types (Types.swift, Operations.swift),
                                  server (Server.swift), client (Client.swift). Server and client need
                                  types. Default: --mode types --mode server.
          --files-per-kind <n>    Write each kind (Types, Operations, Server, Client) as n files: Types.swift,
                                  2-Types.swift ... n-Types.swift, always all n (1 to 64, default 1). Each
                                  schema or operation goes to the file its name hashes to; a spec with fewer
                                  than 50 schemas (operations) per file leaves the last files empty.
          --no-warnings           Do not print warnings (errors are always printed).
          --embed-document        With --output, also write Document.swift: the spec file's exact text as
                                  APIDescription.document.
          --plugin-configuration <path> --plugin-configuration-digest <hex>
                                  Added by the build plugin: fail, generating nothing, when the
                                  openapi-codegen.json at <path> no longer has the bytes the plugin read
                                  (SwiftPM does not run a plugin again when only a file's contents change).
          -h, --help              Show help information.

        """

    var spec: String
    var check = false
    var output: String?
    var noWarnings = false
    var embedDocument = false
    var modes = GenerationMode.default
    var split = FileSplit.single
    /// The configuration file the build plugin read and the digest of its bytes then.
    var pluginConfiguration: (path: String, digest: String)?

    /// A usage error's message (printed with the usage line, exit status 64).
    struct UsageError: Error {
        var message: String
    }

    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.contains("--help") || arguments.contains("-h") {
            print(usage, terminator: "")
            exit(0)
        }
        let command: OpenAPICodegen
        do {
            command = try parse(arguments)
        } catch {
            var standardError = StandardError()
            print("Error: \(error.message)", to: &standardError)
            print("Usage: \(synopsis)", to: &standardError)
            print("  See 'openapi-codegen --help' for more information.", to: &standardError)
            exit(64)
        }
        command.run()
    }

    /// Reads the command line (without the program name): one spec path and
    /// the flags in any order; `--output DIR` or `--output=DIR`; `--` ends
    /// the options (for a spec path that starts with a dash).
    static func parse(_ arguments: [String]) throws(UsageError) -> OpenAPICodegen {
        var spec: String?
        var check = false, noWarnings = false, embedDocument = false
        var output: String?
        var modes: GenerationMode = []
        var split = FileSplit.single
        var configurationPath: String?, configurationDigest: String?
        var index = 0
        var optionsEnded = false
        func setSpec(_ value: String) throws(UsageError) {
            guard spec == nil else { throw UsageError(message: "Unexpected argument '\(value)'.") }
            spec = value
        }
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || !argument.hasPrefix("-") || argument == "-" {
                try setSpec(argument)
                continue
            }
            switch argument {
            case "--": optionsEnded = true
            case "--check": check = true
            case "--no-warnings": noWarnings = true
            case "--embed-document": embedDocument = true
            case "--mode":
                guard index < arguments.count else { throw UsageError(message: "Missing value for '--mode <mode>'.") }
                modes.insert(try mode(arguments[index]))
                index += 1
            case "--files-per-kind":
                guard index < arguments.count else { throw UsageError(message: "Missing value for '--files-per-kind <n>'.") }
                split = try files(arguments[index])
                index += 1
            case "--plugin-configuration":
                guard index < arguments.count else { throw UsageError(message: "Missing value for '--plugin-configuration <path>'.") }
                configurationPath = arguments[index]
                index += 1
            case "--plugin-configuration-digest":
                guard index < arguments.count else { throw UsageError(message: "Missing value for '--plugin-configuration-digest <hex>'.") }
                configurationDigest = arguments[index]
                index += 1
            case "--output":
                guard index < arguments.count else { throw UsageError(message: "Missing value for '--output <output>'.") }
                output = arguments[index]
                index += 1
            default:
                if argument.hasPrefix("--output=") {
                    output = String(argument.dropFirst("--output=".count))
                } else if argument.hasPrefix("--files-per-kind=") {
                    split = try files(String(argument.dropFirst("--files-per-kind=".count)))
                } else if argument.hasPrefix("--mode=") {
                    modes.insert(try mode(String(argument.dropFirst("--mode=".count))))
                } else {
                    throw UsageError(message: "Unknown option '\(argument)'.")
                }
            }
        }
        guard let spec else { throw UsageError(message: "Missing expected argument '<spec>'.") }
        guard check || output != nil else {
            throw UsageError(message: "Nothing to do: pass --check or --output DIR.")
        }
        guard !embedDocument || output != nil else {
            throw UsageError(message: "--embed-document needs --output DIR.")
        }
        guard (configurationPath == nil) == (configurationDigest == nil) else {
            throw UsageError(message: "--plugin-configuration and --plugin-configuration-digest go together.")
        }
        if modes.isEmpty { modes = .default }
        if let problem = modes.problem { throw UsageError(message: "--mode: \(problem).") }
        guard !embedDocument || modes.contains(.server) else {
            throw UsageError(message: "--embed-document needs --mode server (Document.swift extends the server's APIDescription).")
        }
        var command = OpenAPICodegen(spec: spec, check: check, output: output, noWarnings: noWarnings, embedDocument: embedDocument)
        command.modes = modes
        command.split = split
        if let configurationPath, let configurationDigest {
            command.pluginConfiguration = (configurationPath, configurationDigest)
        }
        return command
    }

    private static func files(_ value: String) throws(UsageError) -> FileSplit {
        guard let count = Int(value), FileSplit.allowedFiles.contains(count) else {
            throw UsageError(message: "--files-per-kind: '\(value)' is not a number from \(FileSplit.allowedFiles.lowerBound) to \(FileSplit.allowedFiles.upperBound).")
        }
        return FileSplit(files: count)
    }

    private static func mode(_ name: String) throws(UsageError) -> GenerationMode {
        guard let mode = GenerationMode(name: name) else {
            throw UsageError(message: "Unknown mode '\(name)': use types, server or client.")
        }
        return mode
    }

    func run() {
        if let (path, digest) = pluginConfiguration {
            let bytes = try? FileIO.readFile(path)
            if bytes.map(ConfigurationDigest.hex) != digest {
                var standardError = StandardError()
                print(ConfigurationDigest.staleMessage(path: path, removed: bytes == nil), to: &standardError)
                fflush(nil)
                exit(1)
            }
        }
        let generated: GeneratorPipeline.Output? = output == nil ? nil : GeneratorPipeline.run(specPath: spec, embedDocument: embedDocument, modes: modes, split: split)
        let result = generated?.parse ?? OpenAPIDocumentParser.parse(fileAtPath: spec)
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
                print("error: \(error)", to: &standardError)
                fflush(nil)
                exit(1)
            }
        }
        // Like a compiler, leave without freeing the spec's trees and model:
        // the process is ending, and tearing them down costs as much as a
        // third of a large spec's run.
        fflush(nil)
        exit(result.document != nil && !diagnostics.hasErrors ? 0 : 1)
    }

    private func summary(_ result: OpenAPIDocumentParser.Result, diagnostics: DiagnosticCollector) -> String {
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
        text.withUTF8 { _ = FileIO.writeAll(UnsafeRawBufferPointer($0), to: 2) }
    }
}
