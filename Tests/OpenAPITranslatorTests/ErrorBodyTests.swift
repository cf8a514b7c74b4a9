import GeneratorDiagnostics
import Testing

/// The error body's conformance, from the schema marked `x-tessera-error`,
/// and the warnings for statuses the runtime answers by itself.
@Suite struct ErrorBodyTests {
    /// A spec with one operation and `schemas` under components.
    private func spec(_ errorSchema: String, security: String = "", responses: String = "'200': {description: ok}\n        4XX: {description: refused}") -> String {
        """
        openapi: 3.1.0
        info: {title: T, version: '1'}
        \(security)
        paths:
          /things/{id}:
            get:
              operationId: getThing
              parameters:
                - {name: id, in: path, required: true, schema: {type: integer}}
              responses:
                \(responses)
        components:
          securitySchemes:
            Bearer: {type: http, scheme: bearer}
          schemas:
        \(errorSchema.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        """
    }

    @Test func anIntegerCodeIsTheHTTPStatus() throws {
        let (files, diagnostics) = try generate(spec("""
        Error:
          x-tessera-error: true
          type: object
          required: [code, message]
          properties:
            code: {type: integer, format: int32}
            message: {type: string}
        """))
        #expect(diagnostics.filter { $0.severity == .warning }.isEmpty, "\(diagnostics)")
        let server = try #require(files["Server.swift"])
        #expect(server.contains("extension Schemas.Error: APIErrorBody {"))
        #expect(server.contains("return Self(code: numericCast(status), message: message)"))
    }

    @Test func aStringCodeComesFromTheCodesTableThenTheReasonPhrase() throws {
        let (files, diagnostics) = try generate(spec("""
        Problem:
          x-tessera-error:
            code: kind
            message: text
            correlation-id: trace
            codes: {"404": missing, default: broken}
          type: object
          required: [kind, text, trace]
          properties:
            kind: {type: string}
            text: {type: string}
            trace: {type: string}
        """))
        #expect(diagnostics.filter { $0.severity == .warning }.isEmpty, "\(diagnostics)")
        let server = try #require(files["Server.swift"])
        #expect(server.contains("case 404:\n            code = \"missing\"\n        default:\n            code = \"broken\""))
        #expect(server.contains("return Self(kind: code, text: message, trace: correlationID)"))

        let (plain, _) = try generate(spec("""
        Error:
          x-tessera-error: true
          type: object
          required: [code, message]
          properties:
            code: {type: string}
            message: {type: string}
        """))
        #expect(try #require(plain["Server.swift"]).contains("let code = APIError.Status(status).slug"))
    }

    @Test func aRoleNamingNoPropertyLeavesTheRuntimeFormatWithAWarning() throws {
        let (files, diagnostics) = try generate(spec("""
        Error:
          x-tessera-error: {code: error, message: message, correlation-id: requestId}
          type: object
          required: [error, message]
          properties:
            error: {type: string}
            message: {type: string}
        """))
        #expect(!(try #require(files["Server.swift"])).contains("APIErrorBody"))
        let warning = try #require(diagnostics.first { $0.severity == .warning })
        #expect(warning.message.contains("correlation-id names 'requestId'"))
        #expect(warning.message.contains("RFC 9457"))
        #expect(warning.location?.line == 18, "at the marked schema: \(warning)")
    }

    @Test func undocumentedRuntimeStatusesAreWarnedAtTheOperation() throws {
        let (_, diagnostics) = try generate(spec("""
        Error: {type: object}
        """, security: "security: [{Bearer: [admin]}]", responses: "'200': {description: ok}"))
        let warnings = diagnostics.filter { $0.severity == .warning }
        #expect(warnings.count == 1)
        let warning = try #require(warnings.first)
        #expect(warning.message.contains("'getThing' does not document 401 (its security requires credentials), 403 (its security requires scopes), 400 (its parameters are validated)"))
        #expect(warning.location?.line == 6)

        let (_, documented) = try generate(spec("""
        Error: {type: object}
        """, security: "security: [{Bearer: [admin]}]"))
        #expect(documented.filter { $0.severity == .warning }.isEmpty, "\(documented)")
    }
}
