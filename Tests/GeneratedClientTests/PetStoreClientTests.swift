import APIClient
import APIRuntime
import Foundation
import Testing

/// A transport that hands every request to `next` after `change` rewrote
/// it: the client's middleware hook, used here to send what the typed
/// input cannot express.
struct RewritingTransport: APIClientTransport {
    var next: any APIClientTransport
    var change: @Sendable (inout ClientRequest) -> Void

    func send(_ request: ClientRequest) async throws -> ClientResponse {
        var request = request
        change(&request)
        return try await next.send(request)
    }
}

/// A transport that answers every request with one canned response.
struct CannedTransport: APIClientTransport {
    var response: ClientResponse

    func send(_ request: ClientRequest) async throws -> ClientResponse { response }
}

/// The generated client against the generated server, over real HTTP on
/// loopback, for every operation of petstore-expanded.
@Suite struct PetStoreRoundTripTests {
    @Test func everyOperationRoundTrips() async throws {
        try await withPetStoreServer { root in
            let client = Client(transport: URLSessionTransport(baseURL: root))
            #expect(client.pathPrefix == "/v2")

            guard case .ok(let rex) = try await client.addPet(.init(body: Schemas.NewPet(name: "Rex", tag: "dog"))) else {
                Issue.record("addPet did not answer 200"); return
            }
            #expect(rex == Schemas.Pet(name: "Rex", tag: "dog", id: 1))
            guard case .ok(let tom) = try await client.addPet(.init(body: Schemas.NewPet(name: "Tom & Jerry, 2", tag: "cat, mostly"))) else {
                Issue.record("addPet did not answer 200"); return
            }
            _ = try await client.addPet(.init(body: Schemas.NewPet(name: "Nemo")))

            guard case .ok(let all) = try await client.findPets() else { Issue.record("findPets did not answer 200"); return }
            #expect(all.map(\.name) == ["Rex", "Tom & Jerry, 2", "Nemo"])
            // A tag with a comma, a space and an ampersand arrives whole (exploded form style).
            guard case .ok(let cats) = try await client.findPets(.init(tags: ["cat, mostly", "bird"])) else { Issue.record("findPets did not answer 200"); return }
            #expect(cats == [tom])
            guard case .ok(let first) = try await client.findPets(.init(limit: 1)) else { Issue.record("findPets did not answer 200"); return }
            #expect(first == [rex])

            guard case .ok(let found) = try await client.findPetByID(.init(id: tom.id)) else { Issue.record("findPetByID did not answer 200"); return }
            #expect(found == tom)

            // A documented error (petstore's `default`) is a typed case, not a throw.
            guard case .default(status: let conflictStatus, let conflict) = try await client.addPet(.init(body: Schemas.NewPet(name: "taken"))) else {
                Issue.record("addPet did not answer its error"); return
            }
            #expect(conflictStatus == 409)
            #expect(conflict == Schemas.Error(code: 409, message: "A pet is called that already."))

            guard case .noContent = try await client.deletePet(.init(id: rex.id)) else { Issue.record("deletePet did not answer 204"); return }
            guard case .default(status: let status, let missing) = try await client.findPetByID(.init(id: rex.id)) else {
                Issue.record("findPetByID found a deleted pet"); return
            }
            #expect(status == 404)
            #expect(missing.code == 404)
            #expect(missing.message == "No pet 1.")
            guard case .default(status: 404, _) = try await client.deletePet(.init(id: rex.id)) else {
                Issue.record("deletePet deleted a deleted pet"); return
            }
        }
    }

    /// The server's validation 400 (a body the typed input cannot express,
    /// sent by rewriting the request) comes back as the typed error case.
    @Test func validationErrorIsTheTypedErrorCase() async throws {
        try await withPetStoreServer { root in
            let rewriting = RewritingTransport(next: URLSessionTransport(baseURL: root)) { request in
                request.body = Array(#"{"tag": 5}"#.utf8)
            }
            let client = Client(transport: rewriting)
            guard case .default(status: let status, let error) = try await client.addPet(.init(body: Schemas.NewPet(name: "Rex"))) else {
                Issue.record("addPet accepted an invalid body"); return
            }
            #expect(status == 400)
            #expect(error.code == 400)
            #expect(error.message.contains("name is required"))
            #expect(error.message.contains("tag must be a string"))
        }
    }

    /// A path under the prefix that no operation serves: the runtime's 404,
    /// in the spec's error body, decoded as the operation's error case.
    @Test func routingNotFoundIsTheTypedErrorCase() async throws {
        try await withPetStoreServer { root in
            let client = Client(transport: URLSessionTransport(baseURL: root), pathPrefix: "/v3")
            guard case .default(status: 404, let error) = try await client.findPets() else {
                Issue.record("an unknown path was found"); return
            }
            #expect(error.code == 404)
        }
    }
}

/// What the client refuses: a response that breaks the contract throws,
/// naming the operation, the status and the field.
@Suite struct PetStoreResponseValidationTests {
    private func client(status: Int, body: String, contentType: String = "application/json") -> Client {
        Client(transport: CannedTransport(response: ClientResponse(status: status, headers: [("Content-Type", contentType)], body: Array(body.utf8))))
    }

    @Test func missingRequiredFieldIsNamed() async throws {
        let error = try await #require(throws: APIClientError.self) {
            _ = try await client(status: 200, body: #"[{"name": "Rex", "id": 1}, {"name": 7}]"#).findPets()
        }
        #expect(error.kind == .invalidBody)
        #expect(error.operation == "findPets")
        #expect(error.status == 200)
        #expect(error.fieldErrors == [FieldError(field: "[1].name", message: "must be a string"), FieldError(field: "[1].id", message: "is required")])
        #expect(error.description == "findPets: the 200 response is invalid: [1].name must be a string; [1].id is required")
    }

    @Test func errorBodyIsValidatedToo() async throws {
        let error = try await #require(throws: APIClientError.self) {
            _ = try await client(status: 500, body: #"{"code": "oops", "message": "broken"}"#).findPetByID(.init(id: 1))
        }
        #expect(error.operation == "find pet by id")
        #expect(error.status == 500)
        #expect(error.fieldErrors.map(\.field) == ["code"])
    }

    @Test func notJSONIsRefused() async throws {
        let syntax = try await #require(throws: APIClientError.self) {
            _ = try await client(status: 200, body: #"{"name": "Rex", "id": 1"#).addPet(.init(body: Schemas.NewPet(name: "Rex")))
        }
        #expect(syntax.kind == .invalidJSON)
        let media = try await #require(throws: APIClientError.self) {
            _ = try await client(status: 200, body: "Rex", contentType: "text/plain").addPet(.init(body: Schemas.NewPet(name: "Rex")))
        }
        #expect(media.kind == .unexpectedContentType)
    }

    /// What the client sends: method, path under the prefix, query, body.
    @Test func requestIsWrittenAsTheRouteReadsIt() async throws {
        let seen = SentRequests()
        let client = Client(transport: RecordingTransport(seen: seen), pathPrefix: "/api")
        _ = try? await client.findPets(.init(tags: ["a b", "c&d", "é"], limit: 3))
        _ = try? await client.deletePet(.init(id: 42))
        _ = try? await client.addPet(.init(body: Schemas.NewPet(name: "Rex")))
        let requests = await seen.requests
        #expect(requests.map(\.method) == ["GET", "DELETE", "POST"])
        #expect(requests.map(\.pathAndQuery) == ["/api/pets?tags=a%20b&tags=c%26d&tags=%C3%A9&limit=3", "/api/pets/42", "/api/pets"])
        #expect(requests.last?.header("content-type") == "application/json")
        #expect(requests.last?.body.map { String(decoding: $0, as: UTF8.self) } == #"{"name":"Rex"}"#)
    }
}

/// Every request a `RecordingTransport` was given.
actor SentRequests {
    private(set) var requests: [ClientRequest] = []
    func append(_ request: ClientRequest) { requests.append(request) }
}

/// Records each request and answers 204 with no body.
struct RecordingTransport: APIClientTransport {
    let seen: SentRequests

    func send(_ request: ClientRequest) async throws -> ClientResponse {
        await seen.append(request)
        return ClientResponse(status: 204, headers: [], body: [])
    }
}
