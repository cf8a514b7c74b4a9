import APIRuntime
import APIServer
import Foundation
import HTTPTestClient
import Testing

/// What a service throws through its operation's typed `Failure`, answered
/// by the real server: a documented status in the spec's error body, a
/// status a `4XX` response covers, and a fault that stays a 500 whatever
/// it wraps.
@Suite struct FailureTests {
    @Test func aDocumentedStatusIsAnsweredInTheErrorBody() async throws {
        try await withServer { client in
            let response = try await client.send("GET", "/api/items/\(itemID)", headers: admin + [("X-Trace", "missing")])
            #expect(response.status == 404)
            try expectErrorBody(response, code: "not_found")
            #expect(try json(response).objectValue?["message"]?.stringValue == "No such item.")
        }
    }

    @Test func aStatusTheRangeCoversTakesItsCode() async throws {
        try await withServer { client in
            let response = try await client.send("GET", "/api/items/\(itemID)", headers: admin + [("X-Trace", "gone")])
            #expect(response.status == 410)
            try expectErrorBody(response, code: "gone")
        }
    }

    @Test func anUnexpectedFaultIsA500EvenWhenItWrapsAnAPIError() async throws {
        try await withServer { client in
            let response = try await client.send("GET", "/api/items/\(itemID)", headers: admin + [("X-Trace", "fault")])
            #expect(response.status == 500)
            try expectErrorBody(response, code: "internal_server_error")
            let message = try json(response).objectValue?["message"]?.stringValue ?? ""
            #expect(!message.contains("smuggled"), "a fault's text never reaches the client: \(message)")
        }
    }

    /// The generated types: one constructor per documented status and the
    /// capability protocols, checked by the compiler here.
    @Test func theFailureTypeHasExactlyTheDocumentedStatuses() {
        func notFound<F: Failures.NotFound>(_: F.Type) -> F { .notFound("x") }
        let failure = notFound(Operations.GetItem.Failure.self)
        let error = failure.answer as? APIError
        #expect(error?.status.code == 404)
        #expect(error?.message == "x")
        #expect(Operations.GetItem.Failure.unexpected(CancellationError()).answer is UnexpectedFailure)
    }
}
