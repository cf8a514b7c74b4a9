import Foundation
import Testing
import TestSupport

/// `openapi-codegen SPEC --check` as a user runs it.
@Suite struct CLITests {
    func specFile(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString).yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func errorsGoToStderrInCompilerFormatAndExitNonZero() throws {
        let url = try specFile("""
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths:
              /tokens/{token_id}:
                get:
                  operationId: getToken
                  responses: {'200': {description: OK}}
              /users:
                get:
                  operationId: getToken
                  parameters: [{name: x, in: body}]
                  responses: {'200': {$ref: '#/components/responses/Missing'}}
            """)
        defer { try? FileManager.default.removeItem(at: url) }
        let result = try run(Locations.codegen, [url.path, "--check"])
        #expect(result.exited && result.status == 1)
        #expect(result.stderr.split(separator: "\n").map(String.init) == [
            "\(url.path):5:5: error: path parameter 'token_id' of GET /tokens/{token_id} is not declared; add a parameter with 'in: path' and 'name: token_id'",
            "\(url.path):9:5: error: duplicate operationId 'getToken' (also used by GET /tokens/{token_id})",
            "\(url.path):5:5: note: 'getToken' is first used here",
            "\(url.path):11:34: error: unknown parameter location 'in: body'; expected path, query, header or cookie (Swagger 2.0's 'body' parameters are requestBody in OpenAPI 3)",
            "\(url.path):12:33: error: unresolved reference '#/components/responses/Missing': there is no response named 'Missing' in components.responses",
        ])
        #expect(result.stdout == "\(url.path): OpenAPI 3.1.0, 2 paths, 2 operations, 0 schemas; 4 errors, 0 warnings\n")
    }

    @Test func warningsAloneExitZero() throws {
        let url = try specFile("""
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths:
              /a:
                get:
                  x-ok: 1
                  summery: typo
                  responses: {'200': {description: OK}}
            """)
        defer { try? FileManager.default.removeItem(at: url) }
        let result = try run(Locations.codegen, [url.path, "--check"])
        #expect(result.exited && result.status == 0)
        #expect(result.stderr == "\(url.path):7:7: warning: unknown key 'summery' in operation GET /a is ignored\n")
        let quiet = try run(Locations.codegen, [url.path, "--check", "--no-warnings"])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty)
        #expect(quiet.stdout.hasSuffix("0 errors, 1 warning\n"))
    }

    @Test func missingFileIsAnError() throws {
        let result = try run(Locations.codegen, ["/nonexistent/openapi.yaml", "--check"])
        #expect(result.exited && result.status == 1)
        #expect(result.stderr == "error: cannot read file '/nonexistent/openapi.yaml': No such file or directory\n")
        let folder = try run(Locations.codegen, [FileManager.default.temporaryDirectory.path, "--check"])
        #expect(folder.exited && folder.status == 1)
        #expect(folder.stderr == "error: cannot read file '\(FileManager.default.temporaryDirectory.path)': Is a directory\n")
    }

    /// A spec read from a pipe (`openapi-codegen /dev/stdin`, or a shell's
    /// `<(curl …)`): there is no size to go by, so the whole stream is read
    /// in chunks. A long description makes the spec larger than one chunk.
    @Test func specIsReadFromAPipe() throws {
        let description = String(repeating: "pipe ", count: 40_000)
        let spec = try specFile("""
            openapi: 3.1.0
            info: {title: Piped, version: '1', description: '\(description)'}
            paths:
              /a:
                get:
                  operationId: getA
                  responses: {'204': {description: none}}
            """)
        defer { try? FileManager.default.removeItem(at: spec) }
        let shell = URL(fileURLWithPath: "/bin/sh")
        let result = try run(shell, ["-c", "cat \"$1\" | exec \"$0\" /dev/stdin --check", Locations.codegen.path, spec.path])
        #expect(result.exited && result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "/dev/stdin: OpenAPI 3.1.0, 1 path, 1 operation, 0 schemas; 0 errors, 0 warnings\n")
    }

    /// `--output` creates missing folders, leaves a file whose text is
    /// unchanged alone (same inode, same modification time), replaces a
    /// changed one whole, and leaves no temporary files behind.
    @Test func outputFolderIsCreatedAndOnlyChangedFilesAreReplaced() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("cli-write-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let output = base.appendingPathComponent("a/b/Generated").path
        let spec = Locations.specs.appendingPathComponent("petstore.yaml").path
        let first = try run(Locations.codegen, [spec, "--output", output])
        #expect(first.exited && first.status == 0, "\(first.stderr)")
        let files = ["API.md", "Operations.swift", "Server.swift", "Types.swift"]
        #expect(try FileManager.default.contentsOfDirectory(atPath: output).sorted() == files)

        func identity(_ name: String) throws -> (inode: Int, modified: Date) {
            let attributes = try FileManager.default.attributesOfItem(atPath: output + "/" + name)
            return ((attributes[.systemFileNumber] as? Int) ?? -1, attributes[.modificationDate] as! Date)
        }
        let types = output + "/Types.swift"
        let original = try String(contentsOfFile: types, encoding: .utf8)
        try "// edited by hand\n".write(toFile: types, atomically: false, encoding: .utf8)
        let before = try Dictionary(uniqueKeysWithValues: files.map { ($0, try identity($0)) })
        Thread.sleep(forTimeInterval: 0.05)

        let second = try run(Locations.codegen, [spec, "--output", output])
        #expect(second.exited && second.status == 0, "\(second.stderr)")
        for name in files where name != "Types.swift" {
            let after = try identity(name)
            #expect(after.inode == before[name]!.inode && after.modified == before[name]!.modified, "\(name) was rewritten")
        }
        #expect(try String(contentsOfFile: types, encoding: .utf8) == original)
        #expect(try identity("Types.swift").inode != before["Types.swift"]!.inode, "Types.swift is replaced by rename")
        #expect(try FileManager.default.contentsOfDirectory(atPath: output).sorted() == files)
    }

    /// An output folder that cannot be made is a one-line error, exit 1.
    @Test func unwritableOutputIsAClearError() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("cli-blocked-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        try "not a folder".write(to: base, atomically: true, encoding: .utf8)
        let spec = Locations.specs.appendingPathComponent("petstore.yaml").path
        let result = try run(Locations.codegen, [spec, "--output", base.path + "/Generated"])
        #expect(result.exited && result.status == 1)
        #expect(result.stderr == "error: cannot create folder '\(base.path)/Generated': Not a directory\n")
        #expect(try String(contentsOf: base, encoding: .utf8) == "not a folder")
    }

    @Test func usageErrorsAreExplained() throws {
        let result = try run(Locations.codegen, [Locations.specs.appendingPathComponent("petstore.yaml").path])
        #expect(result.exited && result.status != 0 && result.status != 1)
        #expect(result.stderr.contains("Nothing to do: pass --check or --output DIR."))
    }

    @Test(arguments: [
        (["--check"], "Missing expected argument '<spec>'."),
        (["a.yaml", "b.yaml", "--check"], "Unexpected argument 'b.yaml'."),
        (["a.yaml", "--chek"], "Unknown option '--chek'."),
        (["a.yaml", "--output"], "Missing value for '--output <output>'."),
        (["a.yaml", "--output", "out", "--mode", "clients"], "Unknown mode 'clients': use types, server or client."),
        (["a.yaml", "--output", "out", "--mode", "client"], "--mode: client needs types (its code uses the generated Schemas and Operations)."),
        (["a.yaml", "--output", "out", "--mode", "types", "--mode", "client", "--embed-document"],
         "--embed-document needs --mode server (Document.swift extends the server's APIDescription)."),
    ])
    func badCommandLinesExitWithStatus64(arguments: [String], message: String) throws {
        let result = try run(Locations.codegen, arguments)
        #expect(result.exited && result.status == 64)
        #expect(result.stderr.hasPrefix("Error: \(message)\nUsage: openapi-codegen <spec>"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func helpListsEveryOptionAndExitsZero() throws {
        for flag in ["--help", "-h"] {
            let result = try run(Locations.codegen, [flag])
            #expect(result.exited && result.status == 0 && result.stderr.isEmpty)
            for option in ["<spec>", "--check", "--output <output>", "--mode <mode>", "--no-warnings", "--embed-document"] {
                #expect(result.stdout.contains(option), "\(flag) does not mention \(option)")
            }
        }
    }

    @Test func outputTakesEitherFormAndDoubleDashEndsTheOptions() throws {
        let spec = Locations.specs.appendingPathComponent("petstore.yaml").path
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("cli-forms-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let spaced = base.appendingPathComponent("spaced").path, joined = base.appendingPathComponent("joined").path
        let first = try run(Locations.codegen, ["--no-warnings", "--output", spaced, "--", spec])
        let second = try run(Locations.codegen, ["--output=\(joined)", spec])
        #expect(first.exited && first.status == 0, "\(first.stderr)")
        #expect(second.exited && second.status == 0, "\(second.stderr)")
        for file in ["Types.swift", "Operations.swift", "Server.swift", "API.md"] {
            let a = FileManager.default.contents(atPath: spaced + "/" + file)
            #expect(a != nil && a == FileManager.default.contents(atPath: joined + "/" + file), "\(file)")
        }
    }

    /// `--mode` chooses the files: each alone or together, `--mode=X` too;
    /// without it, types and server as before.
    @Test func modesChooseTheFiles() throws {
        let spec = Locations.specs.appendingPathComponent("petstore.yaml").path
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("cli-modes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let cases: [([String], [String])] = [
            ([], ["API.md", "Operations.swift", "Server.swift", "Types.swift"]),
            (["--mode", "types", "--mode=client"], ["API.md", "Client.swift", "Operations.swift", "Types.swift"]),
            (["--mode", "types"], ["API.md", "Operations.swift", "Types.swift"]),
            (["--mode", "client", "--mode", "server", "--mode", "types"], ["API.md", "Client.swift", "Operations.swift", "Server.swift", "Types.swift"]),
        ]
        for (index, (flags, expected)) in cases.enumerated() {
            let folder = base.appendingPathComponent("\(index)").path
            let result = try run(Locations.codegen, [spec, "--output", folder] + flags)
            #expect(result.exited && result.status == 0, "\(result.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == expected, "\(flags)")
        }
    }

    /// The build plugin declares its outputs before the spec is read
    /// (`OutputFiles`, the plugin's own code, compiled here through a
    /// symbolic link): for every choice of modes and files per kind, the
    /// tool writes exactly those Swift files (and API.md), for a spec too
    /// small to fill them (empty files included) and for Stripe.
    @Test func pluginDeclaresExactlyTheFilesTheToolWrites() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("cli-declared-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        var cases: [(spec: String, modes: [String], files: Int)] = []
        for modes in [["types"], ["types", "server"], ["types", "client"], ["types", "server", "client"]] {
            for files in [1, 3] { cases.append(("petstore-expanded.yaml", modes, files)) }
        }
        cases.append(("stripe-spec3.yaml", ["types", "server", "client"], 4))
        for (index, item) in cases.enumerated() {
            let folder = base.appendingPathComponent("\(index)").path
            var arguments = [Locations.specs.appendingPathComponent(item.spec).path, "--output", folder, "--no-warnings", "--files-per-kind", String(item.files)]
            for mode in item.modes { arguments += ["--mode", mode] }
            // What the plugin passes with server.
            if item.modes.contains("server") { arguments.append("--embed-document") }
            let result = try run(Locations.codegen, arguments)
            #expect(result.exited && result.status == 0, "\(result.stderr)")
            let declared = OutputFiles.names(modes: item.modes, filesPerKind: item.files)
            #expect(Set(declared).count == declared.count)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == (declared + ["API.md"]).sorted(), "\(item)")
            if item.files == 3 && item.modes.count == 1 {
                // A four-operation spec fills the first file of each kind;
                // the others are comments only, which Swift accepts.
                let empty = try String(contentsOfFile: folder + "/3-Types.swift", encoding: .utf8)
                #expect(empty.split(separator: "\n").allSatisfy { $0.hasPrefix("//") }, "\(empty)")
            }
        }
    }

    /// `--files-per-kind` takes a whole number from 1 to 64, either form.
    @Test func filesPerKindIsChecked() throws {
        let spec = Locations.specs.appendingPathComponent("petstore.yaml").path
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-files-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for bad in ["0", "65", "two", "-1"] {
            let result = try run(Locations.codegen, [spec, "--output", folder, "--files-per-kind", bad])
            #expect(result.exited && result.status == 64, "\(bad)")
            #expect(result.stderr.hasPrefix("Error: --files-per-kind: '\(bad)' is not a number from 1 to 64."), "\(result.stderr)")
        }
        let missing = try run(Locations.codegen, [spec, "--output", folder, "--files-per-kind"])
        #expect(missing.status == 64 && missing.stderr.hasPrefix("Error: Missing value for '--files-per-kind <n>'."))
        let joined = try run(Locations.codegen, [spec, "--output=\(folder)", "--files-per-kind=2"])
        #expect(joined.exited && joined.status == 0, "\(joined.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == [
            "2-Operations.swift", "2-Server.swift", "2-Types.swift", "API.md", "Operations.swift", "Server.swift", "Types.swift",
        ])
    }

    /// What the build plugin adds: the tool generates only while
    /// openapi-codegen.json still has the bytes the plugin planned the build
    /// from, because SwiftPM does not run the plugin again when only the
    /// file's contents change. Edited or removed, it fails at the file,
    /// writing nothing, and says how to have the plugin run again.
    @Test func aConfigurationEditedSinceThePlanIsRefused() throws {
        let spec = Locations.specs.appendingPathComponent("petstore.yaml").path
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let configuration = folder + "/openapi-codegen.json"
        let planned = #"{"generate": ["types", "server"]}"#
        try planned.write(toFile: configuration, atomically: true, encoding: .utf8)
        let digest = ConfigurationDigest.hex(Array(planned.utf8))
        func generate(into output: String) throws -> (status: Int32, stderr: String) {
            let result = try run(Locations.codegen, [spec, "--output", output, "--plugin-configuration", configuration, "--plugin-configuration-digest", digest])
            #expect(result.exited)
            return (result.status, result.stderr)
        }
        let unchanged = try generate(into: folder + "/unchanged")
        #expect(unchanged.status == 0, "\(unchanged.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder + "/unchanged/Types.swift"))

        try #"{"generate": ["types", "server", "client"]}"#.write(toFile: configuration, atomically: true, encoding: .utf8)
        let edited = try generate(into: folder + "/edited")
        #expect(edited.status == 1)
        #expect(edited.stderr.hasPrefix("\(configuration):1:1: error: changed since SwiftPM planned this build"), "\(edited.stderr)")
        #expect(edited.stderr.contains("Touch Package.swift, then build again."))
        #expect(!FileManager.default.fileExists(atPath: folder + "/edited"), "nothing is written")

        try FileManager.default.removeItem(atPath: configuration)
        let removed = try generate(into: folder + "/removed")
        #expect(removed.status == 1 && removed.stderr.hasPrefix("\(configuration):1:1: error: removed since"), "\(removed.stderr)")

        let half = try run(Locations.codegen, [spec, "--output", folder + "/half", "--plugin-configuration", configuration])
        #expect(half.status == 64 && half.stderr.hasPrefix("Error: --plugin-configuration and --plugin-configuration-digest go together."), "\(half.stderr)")
    }

    /// Fewer files per kind into the same folder: the generator's parts
    /// beyond the new count go (else the folder would declare every type
    /// twice), a file of the user's named like one stays.
    @Test func fewerFilesPerKindRemovesTheLeftoverParts() throws {
        let spec = Locations.specs.appendingPathComponent("petstore.yaml").path
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-fewer-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try run(Locations.codegen, [spec, "--output", folder, "--files-per-kind", "3", "--mode", "types", "--mode", "client"])
        #expect(first.exited && first.status == 0, "\(first.stderr)")
        try "// mine\n".write(toFile: folder + "/3-Server.swift", atomically: true, encoding: .utf8)
        let second = try run(Locations.codegen, [spec, "--output", folder, "--mode", "types", "--mode", "client"])
        #expect(second.exited && second.status == 0, "\(second.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == [
            "3-Server.swift", "API.md", "Client.swift", "Operations.swift", "Types.swift",
        ])
    }
}
