import Testing

/// Each operation's typed errors (`Operations.X.Failure`) in the generated
/// server: a constructor for each error status documented with the error
/// body, and no other.
@Suite struct FailureTranslatorTests {
    /// Two operations; `getThing`'s and `putThing`'s responses as given.
    private func spec(errorSchema: String, getResponses: String, putResponses: String) -> String {
        """
        openapi: 3.1.0
        info: {title: T, version: '1'}
        paths:
          /things/{id}:
            parameters:
              - {name: id, in: path, required: true, schema: {type: integer}}
            get:
              operationId: getThing
              responses:
        \(getResponses.split(separator: "\n").map { "        " + $0 }.joined(separator: "\n"))
            put:
              operationId: putThing
              responses:
        \(putResponses.split(separator: "\n").map { "        " + $0 }.joined(separator: "\n"))
        components:
          schemas:
            Other: {type: object, properties: {reason: {type: string}}}
        \(errorSchema.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        """
    }

    private let marked = """
    Error:
      x-tessera-error: true
      type: object
      required: [code, message]
      properties:
        code: {type: string}
        message: {type: string}
    """

    private func json(_ schema: String, _ media: String = "application/json") -> String {
        "{description: d, content: {\(media): {schema: {$ref: '#/components/schemas/\(schema)'}}}}"
    }

    @Test func onlyStatusesDocumentedWithTheErrorBodyGetConstructors() throws {
        let (files, _) = try generate(spec(
            errorSchema: marked,
            getResponses: "'200': {description: ok}\n'400': \(json("Error"))\n'404': \(json("Error"))\n'409': \(json("Other"))\n'422': {description: no body}",
            putResponses: "'204': {description: ok}\n'400': \(json("Error"))\n'409': \(json("Error"))"
        ))
        let server = try #require(files["Server.swift"])
        #expect(server.contains("func getThing(_ input: Operations.GetThing.Input, context: OperationContext<Principal>) async throws(Operations.GetThing.Failure) -> Operations.GetThing.Output"))
        #expect(server.contains("public protocol NotFound: OperationFailure {"))
        #expect(server.contains("public protocol Conflict: OperationFailure {"))
        let get = try #require(failureBlock(server, "GetThing"))
        #expect(get.contains("public struct Failure: OperationFailure, Failures.BadRequest, Failures.NotFound {"), "\(get)")
        #expect(get.contains("public static func notFound(_ message: String, fieldErrors: [FieldError] = []) -> Self {"))
        #expect(get.contains("return Self(APIError(APIError.Status(404), message, fieldErrors: fieldErrors))"))
        // 409 has another body and 422 none: returned as `Output` cases, never thrown.
        #expect(!get.contains("func conflict("))
        #expect(!get.contains("func unprocessableContent("))
        #expect(get.contains("public static func unexpected(_ error: any Error) -> Self {"))
        let put = try #require(failureBlock(server, "PutThing"))
        #expect(put.contains("public struct Failure: OperationFailure, Failures.BadRequest, Failures.Conflict {"), "\(put)")
        #expect(!put.contains("func notFound("))
        #expect(server.contains("extension Operations.GetThing.Input: OperationInput {\n    public typealias Failure = Operations.GetThing.Failure\n}"))
        // The handler hands the failure's answer to the responder.
        #expect(server.contains("        } catch {\n            throw error.answer\n        }"))
    }

    @Test func aDefaultResponseTakesAnyStatusAndTheOthersNamedOnes() throws {
        let (files, _) = try generate(spec(
            errorSchema: marked,
            getResponses: "'200': {description: ok}\n'404': \(json("Error"))",
            putResponses: "'204': {description: ok}\ndefault: \(json("Error"))"
        ))
        let server = try #require(files["Server.swift"])
        let put = try #require(failureBlock(server, "PutThing"))
        #expect(put.contains("public static func status(_ status: APIError.Status, _ message: String, fieldErrors: [FieldError] = []) -> Self {"), "\(put)")
        #expect(put.contains("Failures.NotFound"), "default covers getThing's 404: \(put)")
        #expect(put.contains("public static func notFound("))
    }

    @Test func withoutAMarkedSchemaProblemDetailsResponsesAreTheFailures() throws {
        let (files, _) = try generate(spec(
            errorSchema: "Problem: {type: object, properties: {title: {type: string}}}",
            getResponses: "'200': {description: ok}\n4XX: \(json("Problem", "application/problem+json"))",
            putResponses: "'204': {description: ok}\n'404': \(json("Problem"))"
        ))
        let server = try #require(files["Server.swift"])
        let get = try #require(failureBlock(server, "GetThing"))
        #expect(get.contains("public static func clientError(_ status: APIError.Status, _ message: String, fieldErrors: [FieldError] = []) -> Self {"), "\(get)")
        #expect(get.contains("precondition((400 ... 499).contains(status.code), \"4XX covers statuses 400 to 499\")"))
        // A JSON 404 that is not the runtime's problem details is returned, not thrown.
        let put = try #require(failureBlock(server, "PutThing"))
        #expect(put.contains("public typealias Failure = OperationFault"), "\(put)")
        #expect(!put.contains("func notFound("))
        #expect(server.contains("extension Operations.PutThing.Input: OperationInput {"))
    }

    /// The text of `extension Operations.<name> { … }` holding the Failure.
    private func failureBlock(_ server: String, _ name: String) -> String? {
        guard let start = server.range(of: "extension Operations.\(name) {\n    /// What") else { return nil }
        let rest = server[start.lowerBound...]
        guard let end = rest.range(of: "\n}\n") else { return nil }
        return String(rest[..<end.upperBound])
    }
}
