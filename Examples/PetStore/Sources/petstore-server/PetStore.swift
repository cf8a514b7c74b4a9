import APIServer
import PetStoreAPI
import Synchronization

/// Swagger's petstore, kept in memory. The generated `APIProtocol` has one
/// method per operation: each receives the decoded, validated input and
/// returns one of the operation's documented responses.
final class PetStore: APIProtocol {
    /// No operation needs credentials: the routes come from `routes()`,
    /// which uses `OpenAccess`.
    typealias Principal = Never

    private let pets = Mutex<(nextID: Int64, all: [Schemas.Pet])>((1, []))

    func findPets(_ input: Operations.FindPets.Input, context: OperationContext<Never>) async throws(Operations.FindPets.Failure) -> Operations.FindPets.Output {
        let tags = Set(input.tags ?? [])
        let found = pets.withLock { $0.all }.filter { tags.isEmpty || $0.tag.map(tags.contains) == true }
        return .ok(Array(found.prefix(input.limit.map(Int.init) ?? found.count)))
    }

    func addPet(_ input: Operations.AddPet.Input, context: OperationContext<Never>) async throws(Operations.AddPet.Failure) -> Operations.AddPet.Output {
        let pet = pets.withLock { store in
            defer { store.nextID += 1 }
            let pet = Schemas.Pet(name: input.body.name, tag: input.body.tag, id: store.nextID)
            store.all.append(pet)
            return pet
        }
        return .ok(pet)
    }

    func findPetByID(_ input: Operations.FindPetByID.Input, context: OperationContext<Never>) async throws(Operations.FindPetByID.Failure) -> Operations.FindPetByID.Output {
        guard let pet = pets.withLock({ $0.all.first { $0.id == input.id } }) else {
            // A documented response, returned: `default` carries its status.
            return .default(status: 404, Schemas.Error(code: 404, message: "No pet has id \(input.id)."))
        }
        return .ok(pet)
    }

    func deletePet(_ input: Operations.DeletePet.Input, context: OperationContext<Never>) async throws(Operations.DeletePet.Failure) -> Operations.DeletePet.Output {
        let removed = pets.withLock { store in
            let before = store.all.count
            store.all.removeAll { $0.id == input.id }
            return store.all.count < before
        }
        // Thrown instead: the operation's `default` response documents any
        // status, and the runtime writes it in the marked error schema.
        // A status the operation does not document has no constructor.
        guard removed else { throw .status(.notFound, "No pet has id \(input.id).") }
        return .noContent
    }
}
