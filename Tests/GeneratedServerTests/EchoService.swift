import APIRuntime
import APIServer
import Foundation
import HTTPTypes
import HTTPTestClient
import Hummingbird
import Logging
import ServiceLifecycle
import Testing

// The types, operations and routes used here are generated at build
// time from openapi.yaml beside this file, by the package's build plugin.

/// A small service implementing the generated protocol: it echoes what the
/// generated routes decoded, so the tests can see every parameter arrive.
struct EchoService: APIProtocol {
    typealias Principal = String

    func open(_ input: Operations.Open.Input, context: OperationContext<String>) async throws(Operations.Open.Failure) -> Operations.Open.Output {
        .ok(Schemas.Echo(summary: "open to \(context.principal ?? "anyone")"))
    }

    func getItem(_ input: Operations.GetItem.Input, context: OperationContext<String>) async throws(Operations.GetItem.Failure) -> Operations.GetItem.Output {
        // X-Trace picks a failure (FailureTests).
        switch input.xTrace {
        case "missing": throw .notFound("No such item.")
        case "gone": throw .clientError(.init(410), "The item was removed.")
        case "fault": throw .unexpected(APIError(.conflict, "smuggled through unexpected"))
        default: break
        }
        let since = input.since.map { RFC3339.format($0) } ?? "-"
        let summary = "item=\(input.itemID.uuidString.lowercased()) tags=\((input.tags ?? []).joined(separator: ",")) ids=\((input.ids ?? []).map(String.init).joined(separator: ",")) names=\((input.names ?? []).joined(separator: "|")) limit=\(input.limit) mode=\(input.mode?.rawValue ?? "-") trace=\(input.xTrace ?? "-") levels=\((input.xLevels ?? []).map(String.init).joined(separator: ",")) since=\(since) by=\(context.principal ?? "-")"
        return .ok(Schemas.Echo(summary: summary))
    }

    func deleteItem(_ input: Operations.DeleteItem.Input, context: OperationContext<String>) async throws(Operations.DeleteItem.Failure) -> Operations.DeleteItem.Output {
        .noContent
    }

    func createItem(_ input: Operations.CreateItem.Input, context: OperationContext<String>) async throws(Operations.CreateItem.Failure) -> Operations.CreateItem.Output {
        if input.body.name == "Taken" {
            return .clientError(status: 409, Schemas.Error(error: "conflict", message: "That name is taken.", correlationId: context.correlationID))
        }
        let id = UUID(uuidString: "6f1c2c39-1111-4c1e-9d53-9a1f8f0c0001")!
        let item = Schemas.Item(name: input.body.name, kind: Schemas.Item.Kind(rawValue: input.body.kind.rawValue)!, count: input.body.count, price: input.body.price, owner: input.body.owner, due: input.body.due, labels: input.body.labels, id: id)
        return .created(item, headers: .init(location: "/api/items/\(id.uuidString.lowercased())"))
    }

    func myItems(_ input: Operations.MyItems.Input, context: OperationContext<String>) async throws(Operations.MyItems.Failure) -> Operations.MyItems.Output {
        .ok(Array("mine".utf8), contentType: "text/plain")
    }
}

/// `Bearer admin-token` is an admin, `Bearer user-token` a user.
struct TestAuthenticator: APIAuthenticator {
    var challenge: String? { #"Bearer error="invalid_token""# }

    func authenticate(scheme: String, request: APIRequest) async throws -> String? {
        switch request.request.headers[.authorization] {
        case "Bearer admin-token": "admin"
        case "Bearer user-token": "user"
        default: nil
        }
    }

    func principal(_ principal: String, grants scope: String, request: APIRequest) -> Bool {
        scope == "admin" ? principal == "admin" : true
    }
}
