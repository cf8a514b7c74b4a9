import Foundation
import TesseraAPI
import TesseraStore

extension TokenService {
    /// People only (Opal's `User`); Tessera has no tags, so a non-empty
    /// `tag_ids` matches no one.
    public func getUsers(_ input: Operations.GetUsers.Input, context: OperationContext<Caller>) async throws(Operations.GetUsers.Failure) -> Operations.GetUsers.Output {
        let request = try pageRequest(cursor: input.cursor, size: input.pageSize, for: input)
        if let tags = input.tagIDs, !tags.isEmpty {
            return .ok(Schemas.PaginatedUsersList(next: .some(nil), previous: .some(nil), results: []))
        }
        let page = try await translatingStoreErrors(for: input) { try await store.users(kind: .user, page: request) }
        return .ok(Schemas.PaginatedUsersList(next: .some(page.next), previous: .some(page.previous), results: page.items.map(user)))
    }

    public func createUser(_ input: Operations.CreateUser.Input, context: OperationContext<Caller>) async throws(Operations.CreateUser.Failure) -> Operations.CreateUser.Output {
        let caller = try caller(context, for: input)
        let body = input.body
        let record = try await translatingStoreErrors(for: input, answering: { error in
            if case .duplicate = error { .conflict(error.message) } else { nil }
        }) {
            try await store.createUser(
                NewUser(email: body.email, fullName: body.fullName, firstName: body.firstName ?? "", lastName: body.lastName ?? "",
                        position: body.position ?? "", role: storeRole(body.role)),
                actor: actor(caller, context), at: clock.now()
            )
        }
        return .created(user(record))
    }

    /// Opal's `GET /user`: by `user_id` (which wins) or `email`.
    public func user(_ input: Operations.User.Input, context: OperationContext<Caller>) async throws(Operations.User.Failure) -> Operations.User.Output {
        let found: UserRecord?
        if let id = input.userID {
            found = try await translatingStoreErrors(for: input) { try await store.user(id: id) }
        } else if let email = input.email {
            found = try await translatingStoreErrors(for: input) { try await store.user(email: email) }
        } else {
            throw .badRequest("Give user_id or email.", fieldErrors: [FieldError(field: "user_id", message: "user_id or email is required")])
        }
        guard let found, found.kind == .user else {
            throw .notFound("There is no such user.")
        }
        return .ok(user(found))
    }

    /// Deactivates a person: every token of theirs (and every access token
    /// exchanged for one) stops working before this returns. The last
    /// active admin cannot be deactivated (422).
    public func deactivateUser(_ input: Operations.DeactivateUser.Input, context: OperationContext<Caller>) async throws(Operations.DeactivateUser.Failure) -> Operations.DeactivateUser.Output {
        let caller = try caller(context, for: input)
        let id = input.userID
        let record = try await translatingStoreErrors(for: input, answering: { error in
            switch error {
            case .notFound: .notFound("There is no user \(id.text).")
            case .lastActiveAdmin: .unprocessableContent(error.message)
            default: nil
            }
        }) {
            try await store.deactivateUser(id: id, actor: actor(caller, context), at: clock.now())
        }
        verifier.invalidate(userID: id)
        try await peersCaughtUp(for: input)
        return .ok(user(record))
    }

    public func getServiceUsers(_ input: Operations.GetServiceUsers.Input, context: OperationContext<Caller>) async throws(Operations.GetServiceUsers.Failure) -> Operations.GetServiceUsers.Output {
        let request = try pageRequest(cursor: input.cursor, size: input.pageSize, for: input)
        let page = try await translatingStoreErrors(for: input) { try await store.users(kind: .serviceUser, page: request) }
        return .ok(Schemas.PaginatedServiceUsersList(next: .some(page.next), previous: .some(page.previous), results: page.items.map(serviceUser)))
    }

    public func createServiceUser(_ input: Operations.CreateServiceUser.Input, context: OperationContext<Caller>) async throws(Operations.CreateServiceUser.Failure) -> Operations.CreateServiceUser.Output {
        let caller = try caller(context, for: input)
        let body = input.body
        let record = try await translatingStoreErrors(for: input) {
            try await store.createServiceUser(
                name: body.name, description: body.description ?? "", role: storeRole(body.role),
                actor: actor(caller, context), at: clock.now()
            )
        }
        return .created(serviceUser(record))
    }

    public func getServiceUser(_ input: Operations.GetServiceUser.Input, context: OperationContext<Caller>) async throws(Operations.GetServiceUser.Failure) -> Operations.GetServiceUser.Output {
        guard let record = try await translatingStoreErrors(for: input, { try await store.user(id: input.userID) }), record.kind == .serviceUser else {
            throw .notFound("There is no service user \(input.userID.text).")
        }
        return .ok(serviceUser(record))
    }

    /// Deletes a service user with its keys and their access tokens.
    public func deleteServiceUser(_ input: Operations.DeleteServiceUser.Input, context: OperationContext<Caller>) async throws(Operations.DeleteServiceUser.Failure) -> Operations.DeleteServiceUser.Output {
        let caller = try caller(context, for: input)
        let id = input.userID
        _ = try await translatingStoreErrors(for: input, answering: Self.onNotFound(.notFound("There is no service user \(id.text)."))) {
            try await store.deleteServiceUser(id: id, actor: actor(caller, context), at: clock.now())
        }
        verifier.invalidate(userID: id)
        try await peersCaughtUp(for: input)
        return .ok
    }
}
