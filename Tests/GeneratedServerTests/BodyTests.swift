import APIRuntime
import APIServer
import Foundation
import HTTPTypes
import HTTPTestClient
import Hummingbird
import Logging
import ServiceLifecycle
import Testing

@Suite struct BodyTests {
    func post(_ client: LoopbackClient, _ body: String, contentType: String = "application/json") async throws -> LoopbackResponse {
        try await client.send("POST", "/api/items", headers: user + [("Content-Type", contentType)], body: Array(body.utf8))
    }

    @Test func validBodyIsCreatedWithItsHeader() async throws {
        try await withServer { client in
            let response = try await post(client, #"{"name": "Drill", "kind": "tool", "count": 3, "price": 9.5, "due": null, "labels": ["a", "b"]}"#)
            #expect(response.status == 201)
            #expect(response.header("Location") == "/api/items/6f1c2c39-1111-4c1e-9d53-9a1f8f0c0001")
            #expect(try json(response) == ["name": "Drill", "kind": "tool", "count": 3, "price": 9.5, "due": .null, "labels": ["a", "b"], "id": "6f1c2c39-1111-4c1e-9d53-9a1f8f0c0001"])
        }
    }

    @Test func everyBodyRuleIsCheckedAndNamed() async throws {
        try await withServer { client in
            let response = try await post(client, #"{"name": "Far too long name!", "kind": "gadget", "count": 101, "price": 0, "owner": "nope", "due": "soon", "labels": ["ab", "ab", "long"], "extra": 1}"#)
            #expect(response.status == 400)
            try expectErrorBody(response, code: "validation_error")
            #expect(Set(try fieldErrors(response)) == [
                "name: must be at most 10 characters",
                "name: must match the pattern ^[A-Za-z ]+$",
                "kind: must be one of tool, part",
                "count: must be at most 100",
                "price: must be greater than 0",
                "owner: must be a UUID",
                "due: must be an RFC 3339 date-time",
                "labels: must not contain duplicates",
                "labels[2]: must be at most 3 characters",
                "extra: is not allowed",
            ])
            let missing = try await post(client, #"{"kind": "tool", "count": "3"}"#)
            #expect(Set(try fieldErrors(missing)) == ["name: is required", "count: must be an integer"])
            let notAnObject = try await post(client, "[1, 2]")
            #expect(try fieldErrors(notAnObject) == ["body: must be an object"])
        }
    }

    @Test func malformedJSONIs400() async throws {
        try await withServer { client in
            let response = try await post(client, #"{"name": "Drill",}"#)
            #expect(response.status == 400)
            try expectErrorBody(response, code: "validation_error")
            // The body as a whole is refused: a message, no field-level `errors`.
            #expect(try json(response).objectValue?["errors"] == nil)
            #expect(try json(response).objectValue?["message"]?.stringValue?.hasPrefix("The request body is not valid JSON") == true)
            let empty = try await post(client, "")
            #expect(try fieldErrors(empty) == ["body: is required"])
        }
    }

    @Test func wrongContentTypeIs415() async throws {
        try await withServer { client in
            let response = try await post(client, #"{"name": "Drill", "kind": "tool", "count": 3}"#, contentType: "text/plain")
            #expect(response.status == 415)
            try expectErrorBody(response, code: "unsupported_media_type")
            let withCharset = try await post(client, #"{"name": "Drill", "kind": "tool", "count": 3}"#, contentType: "application/json; charset=utf-8")
            #expect(withCharset.status == 201)
        }
    }

    @Test func bodiesOver64KiBAre413() async throws {
        try await withServer { client in
            let big = #"{"name": ""# + String(repeating: "a", count: 70_000) + #""}"#
            let response = try await post(client, big)
            #expect(response.status == 413)
            try expectErrorBody(response, code: "content_too_large")  // RFC 9110's name for 413
        }
    }

    @Test func rangeStatusesCarryTheirCode() async throws {
        try await withServer { client in
            let response = try await post(client, #"{"name": "Taken", "kind": "part", "count": 1}"#)
            #expect(response.status == 409)
            #expect(try json(response).objectValue?["error"]?.stringValue == "conflict")
        }
    }
}
