import Foundation
import GeneratorDiagnostics
import OpenAPIModel
import OpenAPIParser
import Testing
import TestSupport

/// Every real-world spec of the corpus (../shared/specs) passes `--check`
/// with zero errors; warnings are allowed and printed.
@Suite struct CorpusTests {
    @Test func corpusIsPresent() {
        let present = FileManager.default.fileExists(atPath: Locations.specs.appendingPathComponent("opal.yaml").path)
        #expect(present, "the OpenAPI corpus is missing at \(Locations.specs.path); set TESSERA_SPECS to its folder")
    }

    @Test(arguments: Corpus.specs)
    func parsesWithoutErrors(_ spec: Corpus.Spec) throws {
        let result = OpenAPIDocumentParser.parse(fileAtPath: spec.url.path)
        let diagnostics = result.diagnostics.sorted
        let errors = diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(spec): \(errors.prefix(20).map(\.description).joined(separator: "\n"))")
        let warnings = diagnostics.filter { $0.severity == .warning }
        if !warnings.isEmpty {
            print("\(spec): \(warnings.count) warning(s), the first: \(warnings[0])")
        }
        let document = try #require(result.document)
        #expect(document.paths.count == spec.paths)
        #expect(document.operations.count == spec.operations)
    }

    /// The most important spec of the corpus, checked in detail: the Opal
    /// operations Tessera will serve come out as Opal publishes them.
    @Test func opalTokenOperations() throws {
        let result = OpenAPIDocumentParser.parse(fileAtPath: Locations.specs.appendingPathComponent("opal.yaml").path)
        let document = try #require(result.document)
        #expect(result.diagnostics.diagnostics.isEmpty)
        #expect(document.version == .v3_1)
        #expect(document.components.schemas.count == 176)
        let getTokens = try #require(document.paths["/tokens"]?.operations.first { $0.method == .get })
        #expect(getTokens.operationId == "getTokens")
        let parameters = getTokens.parameters.compactMap(\.value)
        let tokenIDs = try #require(parameters.first { $0.name == "token_ids" })
        #expect(tokenIDs.location == .query && tokenIDs.style == .form && !tokenIDs.explode)
        let pageSize = try #require(parameters.first { $0.name == "page_size" })
        #expect(pageSize.schema?.value?.maximum?.value == 1000)
        let token = try #require(document.components.schemas["Token"]?.value)
        #expect(token.properties.keys == ["token_id", "created_at", "token_label", "creator_user_id", "user_id", "last_used_at", "access_level", "expires_at"])
        #expect(token.required == ["token_id", "created_at", "token_label", "creator_user_id", "user_id", "access_level"])
        let deleteToken = try #require(document.paths["/tokens/{token_id}"]?.operations.first { $0.method == .delete })
        #expect(deleteToken.responses.keys == ["200", "403", "404"])
        // Opal's recursive filter schema has properties named like keywords.
        let filters = try #require(document.components.schemas["AccessEntityFilters"]?.value)
        #expect(filters.properties.keys.contains("allOf"))
    }

    /// The split and bundled Unkey specs describe one API: same paths,
    /// operations and number of schemas once the split one is bundled.
    @Test func splitUnkeyMatchesBundledUnkey() throws {
        let bundled = try #require(OpenAPIDocumentParser.parse(fileAtPath: Locations.specs.appendingPathComponent("unkey-openapi.yaml").path).document)
        let split = OpenAPIDocumentParser.parse(fileAtPath: Locations.specs.appendingPathComponent("unkey-split/openapi-split.yaml").path)
        let document = try #require(split.document)
        #expect(Set(document.paths.keys) == Set(bundled.paths.keys))
        #expect(Set(document.operations.compactMap(\.operationId)) == Set(bundled.operations.compactMap(\.operationId)))
        // The root and the 378 files reachable from it (counted independently with PyYAML).
        #expect(split.fileCount == 379)
        #expect(document.components.schemas.count == bundled.components.schemas.count)
    }

    /// The CLI on every corpus spec: exit 0 and the one-line summary.
    @Test(arguments: Corpus.specs)
    func cliChecksCorpusSpec(_ spec: Corpus.Spec) throws {
        let result = try run(Locations.codegen, [spec.url.path, "--check"])
        #expect(result.exited && result.status == 0, "\(spec): exit \(result.status)\n\(result.stderr.prefix(2000))")
        let summary = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(summary.hasPrefix("\(spec.url.path): OpenAPI 3."))
        #expect(summary.contains(" \(spec.paths) path"))
        #expect(summary.contains(" \(spec.operations) operation"))
        #expect(summary.contains("; 0 errors,"))
        // Warnings, when there are any, are in compiler format on stderr.
        for line in result.stderr.split(separator: "\n") {
            #expect(line.contains(": warning: ") || line.contains(": note: "), "\(line)")
        }
    }
}

/// Tessera's own contract is held to a higher bar than the corpus: no
/// warning either.
@Suite struct OwnSpecTests {
    @Test func tesseraSpecIsClean() throws {
        let path = Locations.packageRoot.appendingPathComponent("openapi.yaml").path
        let result = OpenAPIDocumentParser.parse(fileAtPath: path)
        #expect(result.diagnostics.diagnostics.isEmpty, "\(result.diagnostics.sorted)")
        let document = try #require(result.document)
        #expect(document.servers.first?.url == "/v1")
        // The published error format is declared once and marked for the
        // generator, which names each property's role.
        guard case .object(let roles)? = document.components.schemas["Error"]?.value?.extensions["x-tessera-error"] else {
            Issue.record("the Error schema is not marked with x-tessera-error's roles")
            return
        }
        #expect(roles["code"] == .string("error") && roles["message"] == .string("message"))
        #expect(roles["correlation-id"] == .string("correlationId") && roles["field-errors"] == .string("errors"))
        #expect(document.components.schemas["Error"]?.value?.required == ["error", "message", "correlationId"])
    }
}
