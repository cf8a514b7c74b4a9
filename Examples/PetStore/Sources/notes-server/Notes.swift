import APIServer
import NotesAPI
import Synchronization

/// Notes for the holders of a bearer token; each note records its author,
/// the principal the authenticator made of the token.
final class Notes: APIProtocol {
    /// Who is calling: `BearerTokens` maps each token to a name.
    typealias Principal = String

    private let notes = Mutex<[Schemas.Note]>([])

    func listNotes(_ input: Operations.ListNotes.Input, context: OperationContext<String>) async throws(Operations.ListNotes.Failure) -> Operations.ListNotes.Output {
        .ok(notes.withLock { $0 })
    }

    func createNote(_ input: Operations.CreateNote.Input, context: OperationContext<String>) async throws(Operations.CreateNote.Failure) -> Operations.CreateNote.Output {
        // The operation requires the bearer scheme, so a principal is always present here.
        let author = context.principal ?? ""
        let note = notes.withLock { notes in
            let note = Schemas.Note(id: notes.count + 1, text: input.body.text, author: author)
            notes.append(note)
            return note
        }
        return .created(note)
    }

    func getNote(_ input: Operations.GetNote.Input, context: OperationContext<String>) async throws(Operations.GetNote.Failure) -> Operations.GetNote.Output {
        guard let note = notes.withLock({ notes in notes.first { $0.id == input.id } }) else {
            // The operation documents 404, so its `Failure` has `notFound`
            // (without it, this line would not compile). Written as RFC 9457
            // problem details, since the spec marks no error schema.
            throw .notFound("No note has id \(input.id).")
        }
        return .ok(note)
    }
}

/// The `bearer` scheme: `Authorization: Bearer <token>`, each known token
/// standing for a person.
struct BearerTokens: APIAuthenticator {
    let holders: [String: String]

    func authenticate(scheme: String, request: APIRequest) async throws -> String? {
        guard scheme == "bearer", let header = request.request.headers[.authorization],
              header.lowercased().hasPrefix("bearer ") else { return nil }
        return holders[String(header.dropFirst("bearer ".count))]
    }

    func principal(_ principal: String, grants scope: String, request: APIRequest) -> Bool { true }

    var challenge: String? { #"Bearer realm="notes""# }
}
