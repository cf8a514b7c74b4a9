import Foundation
import Testing

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
        let result = try run(Paths.codegen, [url.path, "--check"])
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
        let result = try run(Paths.codegen, [url.path, "--check"])
        #expect(result.exited && result.status == 0)
        #expect(result.stderr == "\(url.path):7:7: warning: unknown key 'summery' in operation GET /a is ignored\n")
        let quiet = try run(Paths.codegen, [url.path, "--check", "--no-warnings"])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty)
        #expect(quiet.stdout.hasSuffix("0 errors, 1 warning\n"))
    }

    @Test func missingFileIsAnError() throws {
        let result = try run(Paths.codegen, ["/nonexistent/openapi.yaml", "--check"])
        #expect(result.exited && result.status == 1)
        #expect(result.stderr == "error: cannot read file '/nonexistent/openapi.yaml'\n")
    }

    @Test func usageErrorsAreExplained() throws {
        let result = try run(Paths.codegen, [Paths.specs.appendingPathComponent("petstore.yaml").path])
        #expect(result.exited && result.status != 0 && result.status != 1)
        #expect(result.stderr.contains("Nothing to do: pass --check or --output DIR."))
    }

    @Test(arguments: [
        (["--check"], "Missing expected argument '<spec>'."),
        (["a.yaml", "b.yaml", "--check"], "Unexpected argument 'b.yaml'."),
        (["a.yaml", "--chek"], "Unknown option '--chek'."),
        (["a.yaml", "--output"], "Missing value for '--output <output>'."),
    ])
    func badCommandLinesExitWithStatus64(arguments: [String], message: String) throws {
        let result = try run(Paths.codegen, arguments)
        #expect(result.exited && result.status == 64)
        #expect(result.stderr.hasPrefix("Error: \(message)\nUsage: openapi-codegen <spec>"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func helpListsEveryOptionAndExitsZero() throws {
        for flag in ["--help", "-h"] {
            let result = try run(Paths.codegen, [flag])
            #expect(result.exited && result.status == 0 && result.stderr.isEmpty)
            for option in ["<spec>", "--check", "--output <output>", "--no-warnings", "--embed-document"] {
                #expect(result.stdout.contains(option), "\(flag) does not mention \(option)")
            }
        }
    }

    @Test func outputTakesEitherFormAndDoubleDashEndsTheOptions() throws {
        let spec = Paths.specs.appendingPathComponent("petstore.yaml").path
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("cli-forms-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let spaced = base.appendingPathComponent("spaced").path, joined = base.appendingPathComponent("joined").path
        let first = try run(Paths.codegen, ["--no-warnings", "--output", spaced, "--", spec])
        let second = try run(Paths.codegen, ["--output=\(joined)", spec])
        #expect(first.exited && first.status == 0, "\(first.stderr)")
        #expect(second.exited && second.status == 0, "\(second.stderr)")
        for file in ["Types.swift", "Operations.swift", "Server.swift", "API.md"] {
            let a = FileManager.default.contents(atPath: spaced + "/" + file)
            #expect(a != nil && a == FileManager.default.contents(atPath: joined + "/" + file), "\(file)")
        }
    }
}
