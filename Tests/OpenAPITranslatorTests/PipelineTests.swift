import Foundation
import OpenAPIGenerator
import Testing

enum Locations {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var specs: URL {
        if let override = ProcessInfo.processInfo.environment["TESSERA_SPECS"] { return URL(fileURLWithPath: override) }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/specs")
    }
}

@Suite struct GeneratedSnapshotTests {
    /// Generated/ holds exactly what the generator makes from openapi.yaml.
    @Test func generatedFolderMatchesAFreshGeneration() throws {
        let output = GeneratorPipeline.run(specPath: Locations.packageRoot.appendingPathComponent("openapi.yaml").path)
        #expect(!output.diagnostics.hasErrors)
        #expect(output.files.map(\.name) == ["Types.swift", "Operations.swift", "Server.swift", "API.md"])
        for file in output.files {
            let path = Locations.packageRoot.appendingPathComponent("Generated/\(file.name)")
            let checkedIn = try? String(contentsOf: path, encoding: .utf8)
            #expect(checkedIn == file.contents, "Generated/\(file.name) is stale: run scripts/generate")
        }
    }
}

@Suite struct DeterminismTests {
    /// Two generations of the same spec are byte-identical.
    @Test(arguments: ["opal.yaml", "stripe-spec3.yaml", "unkey-split/openapi-split.yaml"])
    func twoGenerationsAreIdentical(_ spec: String) throws {
        let path = Locations.specs.appendingPathComponent(spec).path
        let first = GeneratorPipeline.run(specPath: path)
        let second = GeneratorPipeline.run(specPath: path)
        #expect(!first.files.isEmpty)
        #expect(first.files == second.files)
    }
}

@Suite struct RegenerationTests {
    /// Editing the spec changes the code: a new required field appears in the
    /// model and its initializer, and a renamed operation renames the
    /// protocol requirement (so service code that implemented the old name
    /// stops compiling).
    @Test func specEditsShowInTheGeneratedCode() throws {
        let original = try String(contentsOf: Locations.packageRoot.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        var edited = original.replacingOccurrences(of: "operationId: getTokens", with: "operationId: listTokens")
        edited = edited.replacingOccurrences(of: """
                  required:
                    - token_id
                    - created_at
            """, with: """
                  required:
                    - token_id
                    - rotation_count
                    - created_at
            """)
        edited = edited.replacingOccurrences(of: """
                    token_preview:
                      description: The last 5 characters of the token's secret.
            """, with: """
                    rotation_count:
                      description: How many times the token was regenerated.
                      type: integer
                      minimum: 0
                    token_preview:
                      description: The last 5 characters of the token's secret.
            """)
        #expect(edited != original)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("regen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = folder.appendingPathComponent("openapi.yaml")
        try edited.write(to: spec, atomically: true, encoding: .utf8)

        let before = GeneratorPipeline.run(specPath: Locations.packageRoot.appendingPathComponent("openapi.yaml").path)
        let after = GeneratorPipeline.run(specPath: spec.path)
        #expect(!after.diagnostics.hasErrors, "\(after.diagnostics.sorted)")
        func file(_ output: GeneratorPipeline.Output, _ name: String) -> String {
            output.files.first { $0.name == name }?.contents ?? ""
        }
        #expect(!file(before, "Types.swift").contains("rotationCount"))
        #expect(file(after, "Types.swift").contains("public var rotationCount: Int\n"))
        #expect(file(after, "Types.swift").contains("rotationCount: Int, tokenPreview: String? = nil)"))
        #expect(file(after, "Types.swift").contains(#"object.required(Int.self, "rotation_count", path: path, errors: &errors)"#))
        #expect(file(before, "Server.swift").contains("func getTokens("))
        #expect(!file(after, "Server.swift").contains("func getTokens("))
        #expect(file(after, "Server.swift").contains("func listTokens(_ input: Operations.ListTokens.Input"))
        #expect(file(after, "API.md").contains("Operation id `listTokens`."))
    }
}

@Suite struct ReferenceOutputTests {
    /// The full output for the OpenAPI Initiative's petstore-expanded example
    /// (allOf composition, an array query parameter, a default response),
    /// checked in and compared byte for byte. Regenerate it with
    /// `openapi-codegen ../shared/specs/petstore-expanded.yaml --output Tests/OpenAPITranslatorTests/References/petstore-expanded`
    /// after a deliberate change.
    @Test func petstoreExpandedMatchesItsReference() throws {
        let output = GeneratorPipeline.run(specPath: Locations.specs.appendingPathComponent("petstore-expanded.yaml").path)
        let folder = Locations.packageRoot.appendingPathComponent("Tests/OpenAPITranslatorTests/References/petstore-expanded")
        #expect(output.files.count == 4)
        for file in output.files {
            let reference = try String(contentsOf: folder.appendingPathComponent(file.name), encoding: .utf8)
            #expect(reference == file.contents, "\(file.name) differs from its reference")
        }
    }
}
