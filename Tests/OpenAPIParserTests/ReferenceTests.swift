import Foundation
import GeneratorDiagnostics
import OpenAPIModel
import OpenAPIParser
import Testing

@Suite struct LocalReferenceTests {
    @Test func refsToEveryComponentKind() throws {
        let document = try parseValid(spec(paths: """

              /tokens/{token_id}:
                parameters: [{$ref: '#/components/parameters/TokenID'}]
                get:
                  requestBody: {$ref: '#/components/requestBodies/Empty'}
                  responses:
                    '200': {$ref: '#/components/responses/Token'}
            """, components: """
            parameters:
              TokenID: {name: token_id, in: path, required: true, schema: {$ref: '#/components/schemas/ID'}}
            requestBodies:
              Empty: {content: {application/json: {}}}
            responses:
              Token:
                description: A token
                headers: {X-Correlation-ID: {$ref: '#/components/headers/Correlation'}}
            headers:
              Correlation: {schema: {type: string}}
            schemas:
              ID: {type: string, format: uuid}
            """))
        let item = try #require(document.paths["/tokens/{token_id}"])
        #expect(item.parameters.first?.reference?.ref == "#/components/parameters/TokenID")
        #expect(item.operations[0].requestBody?.reference?.name == "Empty")
        #expect(item.operations[0].responses["200"]?.reference?.kind == .responses)
    }

    @Test func unresolvedRefsAreErrorsAtTheRefsLine() {
        #expect(diagnosticLines(spec(paths: """

              /a:
                get:
                  parameters: [{$ref: '#/components/parameters/Missing'}]
                  responses:
                    '200':
                      description: OK
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Nope'}
            """)) == [
            "spec.yaml:8:27: error: unresolved reference '#/components/parameters/Missing': there is no parameter named 'Missing' in components.parameters",
            "spec.yaml:14:30: error: unresolved reference '#/components/schemas/Nope': there is no schema named 'Nope' in components.schemas",
        ])
    }

    /// A pointer anywhere else in the document is bundled into components.
    @Test func pointersOutsideComponentsAreBundled() throws {
        let document = try parseValid(spec(paths: """

              /a:
                get:
                  responses:
                    '200':
                      description: OK
                      content:
                        application/json:
                          schema: {type: object, properties: {id: {type: integer}}}
              /b:
                get:
                  responses:
                    '200': {$ref: '#/paths/~1a/get/responses/200'}
            """))
        let b = try #require(document.paths["/b"]?.operations.first?.responses["200"]?.reference)
        #expect(b.name == "200")
        #expect(document.components.responses["200"]?.value?.description == "OK")
    }

    @Test func referenceCyclesAreErrors() {
        #expect(diagnosticLines(spec(components: """
            schemas:
              A: {$ref: '#/components/schemas/B'}
              B: {$ref: '#/components/schemas/A'}
            """)) == [
            "spec.yaml:8:15: error: the schema 'A' is a cycle of references: A → B → A",
        ])
    }

    @Test func remoteAndAnchorRefsAreRefused() {
        #expect(diagnosticLines(spec(components: """
            schemas:
              A: {$ref: 'https://example.com/schemas.yaml#/A'}
              B: {$ref: '#Anchor'}
            """)) == [
            "spec.yaml:8:15: error: remote reference 'https://example.com/schemas.yaml#/A' is not supported; only local and relative-file references are",
            "spec.yaml:9:15: error: reference '#Anchor' must use a JSON pointer after '#' (such as '#/components/schemas/Name'); named anchors are not supported",
        ])
    }

    @Test func escapedPointerTokens() throws {
        let document = try parseValid(spec(components: """
            schemas:
              a/b~c: {type: string}
              User: {$ref: '#/components/schemas/a~1b~0c'}
            """))
        #expect(document.components.schemas["User"]?.reference?.name == "a/b~c")
    }
}

@Suite struct FileReferenceTests {
    @Test func relativeFileRefsResolveFromTheReferringFilesFolder() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try write("""
            openapi: 3.1.0
            info: {title: Split, version: '1'}
            paths:
              /keys:
                $ref: ./spec/paths/keys.yaml
            components:
              schemas:
                Key: {type: object, properties: {id: {type: string}}}
            """, to: folder.appendingPathComponent("openapi.yaml"))
        try write("""
            post:
              operationId: createKey
              requestBody:
                content:
                  application/json:
                    schema: {$ref: ./CreateKeyRequest.yaml}
              responses:
                '200':
                  description: OK
                  content:
                    application/json:
                      schema: {$ref: '../../openapi.yaml#/components/schemas/Key'}
                '400': {$ref: '../errors.yaml#/responses/BadRequest'}
            """, to: folder.appendingPathComponent("spec/paths/keys.yaml"))
        try write("""
            type: object
            required: [name]
            properties:
              name: {type: string}
              meta: {$ref: '../common/Meta.yaml'}
            """, to: folder.appendingPathComponent("spec/paths/CreateKeyRequest.yaml"))
        try write("""
            type: object
            additionalProperties: {$ref: './Meta.yaml'}
            """, to: folder.appendingPathComponent("spec/common/Meta.yaml"))
        try write("""
            responses:
              BadRequest: {description: Bad request}
            """, to: folder.appendingPathComponent("spec/errors.yaml"))

        let result = OpenAPIDocumentParser.parse(fileAtPath: folder.appendingPathComponent("openapi.yaml").path)
        #expect(result.diagnostics.diagnostics.isEmpty, "\(result.diagnostics.sorted)")
        let document = try #require(result.document)
        #expect(result.fileCount == 5)
        let operation = try #require(document.paths["/keys"]?.operations.first)
        #expect(operation.operationId == "createKey")
        // Whole-file refs are bundled under the file's name; the root's own
        // component keeps its reference; a pointer into another file uses its last token.
        #expect(operation.requestBody?.value?.content["application/json"]?.schema?.reference?.name == "CreateKeyRequest")
        #expect(operation.responses["200"]?.value?.content["application/json"]?.schema?.reference?.name == "Key")
        #expect(operation.responses["400"]?.reference?.name == "BadRequest")
        // Bundled objects follow the root's own, each after what it depends on.
        #expect(document.components.schemas.keys == ["Key", "Meta", "CreateKeyRequest"])
        // Meta refers to itself: recursion through files ends.
        guard case .schema(let values)? = document.components.schemas["Meta"]?.value?.additionalProperties else {
            Issue.record("Meta lost its additionalProperties")
            return
        }
        #expect(values.reference?.name == "Meta")
        // Locations inside other files name those files.
        let meta = try #require(document.components.schemas["Meta"]?.value)
        #expect(meta.source.file.path.hasSuffix("spec/common/Meta.yaml"))
        #expect(!meta.source.file.path.contains(".."))
    }

    @Test func nameClashesGetSuffixes() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try write("""
            openapi: 3.1.0
            info: {title: Clash, version: '1'}
            paths: {}
            components:
              schemas:
                Error: {type: string}
                A: {$ref: 'a/Error.yaml'}
                B: {$ref: 'b/Error.yaml'}
            """, to: folder.appendingPathComponent("openapi.yaml"))
        try write("type: integer\n", to: folder.appendingPathComponent("a/Error.yaml"))
        try write("type: boolean\n", to: folder.appendingPathComponent("b/Error.yaml"))
        let result = OpenAPIDocumentParser.parse(fileAtPath: folder.appendingPathComponent("openapi.yaml").path)
        let schemas = try #require(result.document?.components.schemas)
        #expect(schemas["A"]?.reference?.name == "Error_2")
        #expect(schemas["B"]?.reference?.name == "Error_3")
        #expect(schemas["Error_2"]?.value?.singleType == .integer)
        #expect(schemas["Error_3"]?.value?.singleType == .boolean)
    }

    @Test func missingFilesAndPointersAreErrorsAtTheRef() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try write("""
            openapi: 3.1.0
            info: {title: Broken, version: '1'}
            paths: {}
            components:
              schemas:
                A: {$ref: './missing.yaml'}
                B: {$ref: './other.yaml#/nothing/here'}
                C: {$ref: './bad.yaml'}
            """, to: folder.appendingPathComponent("openapi.yaml"))
        try write("something: {}\n", to: folder.appendingPathComponent("other.yaml"))
        try write("type: [\n", to: folder.appendingPathComponent("bad.yaml"))
        let root = folder.appendingPathComponent("openapi.yaml").path
        let result = OpenAPIDocumentParser.parse(fileAtPath: root)
        let lines = result.diagnostics.sorted.map(\.description)
        #expect(lines.contains("\(root):6:15: error: cannot read '\(folder.path)/missing.yaml', referenced here"))
        #expect(lines.contains("\(root):7:15: error: unresolved reference './other.yaml#/nothing/here': '\(folder.path)/other.yaml' has nothing at '#/nothing/here'"))
        // A syntax error in a referenced file points into that file, with a note at the ref.
        #expect(lines.contains { $0.hasPrefix("\(folder.path)/bad.yaml:2:1: error: YAML syntax error:") })
        #expect(lines.contains("\(root):8:15: note: '\(folder.path)/bad.yaml' is referenced here"))
        #expect(!result.succeeded)
    }
}
