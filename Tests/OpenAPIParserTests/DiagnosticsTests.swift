import GeneratorDiagnostics
import OpenAPIParser
import Testing

/// Small broken specs, each with the exact `FILE:LINE:COL` its problems must
/// be reported at. Lines and columns are 1-based, as editors count.
@Suite struct DiagnosticsTests {
    @Test func duplicateOperationIdPointsAtTheSecondWithANoteAtTheFirst() {
        #expect(diagnosticLines("""
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths:
              /tokens:
                get:
                  operationId: listTokens
                  responses: {'200': {description: OK}}
              /users:
                get:
                  operationId: listTokens
                  responses: {'200': {description: OK}}
            """) == [
            "spec.yaml:9:5: error: duplicate operationId 'listTokens' (also used by GET /tokens)\nspec.yaml:5:5: note: 'listTokens' is first used here",
        ])
    }

    @Test func undeclaredPathParameter() {
        #expect(diagnosticLines("""
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths:
              /tokens/{token_id}:
                delete:
                  responses: {'200': {description: OK}}
            """) == [
            "spec.yaml:5:5: error: path parameter 'token_id' of DELETE /tokens/{token_id} is not declared; add a parameter with 'in: path' and 'name: token_id'",
        ])
    }

    @Test func declaredPathParameterMissingFromTheTemplate() {
        #expect(diagnosticLines("""
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths:
              /tokens:
                get:
                  parameters:
                    - name: token_id
                      in: path
                      required: true
                      schema: {type: string}
                  responses: {'200': {description: OK}}
            """) == [
            "spec.yaml:7:11: error: path parameter 'token_id' is declared for GET /tokens, but the path has no '{token_id}'",
        ])
    }

    @Test func pathParameterWithoutRequiredTrue() {
        #expect(diagnosticLines("""
            openapi: 3.0.3
            info: {title: T, version: '1'}
            paths:
              /users/{user_id}:
                parameters:
                  - {name: user_id, in: path, schema: {type: string}}
                get:
                  responses: {'200': {description: OK}}
                delete:
                  responses: {'200': {description: OK}}
            """) == [
            "spec.yaml:6:9: error: path parameter 'user_id' must have 'required: true'",
        ])
    }

    @Test func unknownParameterLocation() {
        #expect(diagnosticLines("""
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths:
              /tokens:
                post:
                  parameters:
                    - name: body
                      in: body
                  responses: {'201': {description: Created}}
            """) == [
            "spec.yaml:8:15: error: unknown parameter location 'in: body'; expected path, query, header or cookie (Swagger 2.0's 'body' parameters are requestBody in OpenAPI 3)",
        ])
    }

    @Test func duplicateParametersInOneList() {
        #expect(diagnosticLines("""
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths:
              /tokens:
                get:
                  parameters:
                    - {name: cursor, in: query, schema: {type: string}}
                    - {name: cursor, in: query, schema: {type: string}}
                    - {name: cursor, in: header, schema: {type: string}}
                  responses: {'200': {description: OK}}
            """) == [
            "spec.yaml:8:11: error: query parameter 'cursor' is declared twice in one list\nspec.yaml:7:11: note: first declared here",
        ])
    }

    @Test func operationParametersOverridePathLevelOnes() throws {
        let document = try parseValid("""
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths:
              /tokens/{id}:
                parameters:
                  - {name: id, in: path, required: true, schema: {type: string}}
                get:
                  parameters:
                    - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
                  responses: {'200': {description: OK}}
            """)
        #expect(document.operations.count == 1)
    }

    @Test func equivalentTemplates() {
        #expect(diagnosticLines("""
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths:
              /tokens/{id}:
                get:
                  parameters: [{name: id, in: path, required: true, schema: {type: string}}]
                  responses: {'200': {description: OK}}
              /tokens/{token_id}:
                delete:
                  parameters: [{name: token_id, in: path, required: true, schema: {type: string}}]
                  responses: {'200': {description: OK}}
            """) == [
            "spec.yaml:8:3: error: path '/tokens/{token_id}' is the same template as '/tokens/{id}' with other parameter names\nspec.yaml:4:3: note: '/tokens/{id}' is declared here",
        ])
    }

    @Test func malformedTemplates() {
        #expect(diagnosticLines("""
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths:
              /tokens/{id:
                get: {responses: {'200': {description: OK}}}
              tokens:
                get: {responses: {'200': {description: OK}}}
            """) == [
            "spec.yaml:4:3: error: path '/tokens/{id' has a '{' that is never closed",
            "spec.yaml:6:3: error: path 'tokens' must start with '/'",
        ])
    }

    @Test func undeclaredSecuritySchemeIsAWarning() {
        #expect(diagnosticLines("""
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths:
              /tokens:
                get:
                  security: [{TokenAuth: []}]
                  responses: {'200': {description: OK}}
            """) == [
            "spec.yaml:6:19: warning: security requirement names 'TokenAuth', which is not declared in components.securitySchemes; no request can meet it",
        ])
    }

    @Test func missingRequiredTopLevelKeys() {
        #expect(diagnosticLines("openapi: 3.0.0\ninfo: {title: T}\n") == [
            "spec.yaml:1:1: error: an OpenAPI 3.0 document is missing required key 'paths'",
            "spec.yaml:2:7: error: 'info' is missing required key 'version'",
        ])
        #expect(diagnosticLines("openapi: 3.1.0\ninfo: {title: T, version: '1'}\n") == [
            "spec.yaml:1:1: error: an OpenAPI 3.1 document must have at least one of 'paths', 'webhooks' or 'components'",
        ])
        #expect(diagnosticLines("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      description: no responses\n") == [
            "spec.yaml:6:7: error: operation GET /a (OpenAPI 3.0) is missing required key 'responses'",
        ])
        #expect(diagnosticLines("- a\n- b\n") == ["spec.yaml:1:1: error: an OpenAPI document must be a mapping, not a list"])
    }

    @Test func everyProblemIsReportedInOneRun() {
        let lines = diagnosticLines("""
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths:
              /a/{x}:
                get:
                  operationId: same
                  responses: {'200': {description: OK}}
              /b:
                get:
                  operationId: same
                  parameters: [{name: q, in: qurey}]
                  responses:
                    '200':
                      description: OK
                      content: {application/json: {schema: {$ref: '#/components/schemas/Gone'}}}
            """)
        #expect(lines.count == 4)
        #expect(lines.map { $0.split(separator: ":").prefix(3).joined(separator: ":") } == [
            "spec.yaml:5:5", "spec.yaml:9:5", "spec.yaml:11:34", "spec.yaml:15:55",
        ])
    }

    @Test func yamlErrorsSurfaceThroughTheParser() {
        #expect(diagnosticLines("openapi: 3.1.0\ninfo: {title: T, version: '1'}\ninfo: {}\npaths: {}\n") == [
            "spec.yaml:3:1: error: duplicate key 'info' in a mapping (first at line 2)\nspec.yaml:2:1: note: 'info' first appears here",
        ])
        let syntax = diagnosticLines("openapi: 3.1.0\npaths: {a: [}\n")
        #expect(syntax.count == 1)
        #expect(syntax.first?.hasPrefix("spec.yaml:2:") == true)
    }
}
