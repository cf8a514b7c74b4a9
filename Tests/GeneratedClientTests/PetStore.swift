import APIRuntime
import APIServer
import Foundation
import Hummingbird
import Logging

// The types, operations, routes and client this target uses are generated
// at build time from openapi.yaml beside it (petstore-expanded), with
// openapi-codegen.json choosing types, server and client.

/// petstore-expanded's operations over an in-memory list.
actor PetStore: APIProtocol {
    typealias Principal = Never

    private var pets: [Schemas.Pet] = []
    private var nextID: Int64 = 1

    func findPets(_ input: Operations.FindPets.Input, context: OperationContext<Never>) async throws(Operations.FindPets.Failure) -> Operations.FindPets.Output {
        var found = pets
        if let tags = input.tags { found = found.filter { $0.tag.map(tags.contains) ?? false } }
        if let limit = input.limit { found = Array(found.prefix(Int(limit))) }
        return .ok(found)
    }

    func addPet(_ input: Operations.AddPet.Input, context: OperationContext<Never>) async throws(Operations.AddPet.Failure) -> Operations.AddPet.Output {
        guard input.body.name != "taken" else {
            return .default(status: 409, Schemas.Error(code: 409, message: "A pet is called that already."))
        }
        let pet = Schemas.Pet(name: input.body.name, tag: input.body.tag, id: nextID)
        nextID += 1
        pets.append(pet)
        return .ok(pet)
    }

    func findPetByID(_ input: Operations.FindPetByID.Input, context: OperationContext<Never>) async throws(Operations.FindPetByID.Failure) -> Operations.FindPetByID.Output {
        guard let pet = pets.first(where: { $0.id == input.id }) else {
            return .default(status: 404, Schemas.Error(code: 404, message: "No pet \(input.id)."))
        }
        return .ok(pet)
    }

    func deletePet(_ input: Operations.DeletePet.Input, context: OperationContext<Never>) async throws(Operations.DeletePet.Failure) -> Operations.DeletePet.Output {
        guard let index = pets.firstIndex(where: { $0.id == input.id }) else {
            return .default(status: 404, Schemas.Error(code: 404, message: "No pet \(input.id)."))
        }
        pets.remove(at: index)
        return .noContent
    }
}

/// The runtime's own failures (400, 404 of an unknown path…) in petstore's
/// error body, written by hand (the spec marks no error schema) to show a
/// conformance of one's own: `code` is the HTTP status, and the field
/// errors are spelled out in the message.
extension Schemas.Error: APIErrorBody {
    public static func make(status: Int, message: String, correlationID: String, fieldErrors: [FieldError]) -> Self {
        let details = fieldErrors.map { "\($0.field) \($0.message)" }
        return Self(code: Int32(status), message: ([message] + details).joined(separator: " "))
    }
}

struct ServerDidNotStart: Error {}

/// Runs the generated server over `PetStore` on 127.0.0.1 (a free port)
/// and hands `body` the server's root URL; shuts it down afterwards.
func withPetStoreServer(_ body: @Sendable (URL) async throws -> Void) async throws {
    var logger = Logger(label: "generated-client-test")
    logger.logLevel = .warning
    let responder = APIResponder(routes: PetStore().routes(), errorBody: Schemas.Error.self, logger: logger)
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let app = APIHTTPServer.application(responder: responder, host: "127.0.0.1", port: 0, logger: logger) { port in
        portContinuation.yield(port)
        portContinuation.finish()
    }
    // Leaving the group cancels the server's task, which shuts it down gracefully.
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            defer { portContinuation.finish() }
            try await app.runService(gracefulShutdownSignals: [])
        }
        guard let port = await ports.first(where: { _ in true }) else {
            try await group.waitForAll()
            throw ServerDidNotStart()
        }
        try await body(URL(string: "http://127.0.0.1:\(port)")!)
        group.cancelAll()
    }
}
