import APIRuntime
import APIServer
import Foundation
import HTTPTypes
import HTTPTestClient
import Hummingbird
import Logging
import ServiceLifecycle
import Testing

@Suite struct SecurityTests {
    @Test func missingOrUnknownCredentialsAre401WithAChallenge() async throws {
        try await withServer { client in
            for headers: [(String, String)] in [[], [("Authorization", "Bearer nope")], [("Authorization", "Basic abc")]] {
                let response = try await client.send("GET", "/api/items/\(itemID)", headers: headers)
                #expect(response.status == 401)
                #expect(response.header("WWW-Authenticate") == #"Bearer error="invalid_token""#)
                try expectErrorBody(response, code: "unauthorized")
                #expect(try json(response).objectValue?["message"]?.stringValue == APIError.unauthorizedMessage)
            }
        }
    }

    @Test func missingScopeIs403AndTheScopeAdmits() async throws {
        try await withServer { client in
            let forbidden = try await client.send("DELETE", "/api/items/\(itemID)", headers: user)
            #expect(forbidden.status == 403)
            try expectErrorBody(forbidden, code: "forbidden")
            let allowed = try await client.send("DELETE", "/api/items/\(itemID)", headers: admin)
            #expect(allowed.status == 204)
            #expect(allowed.body.isEmpty)
        }
    }

    /// Security comes before validation: a bad parameter without credentials is a 401.
    @Test func authenticationComesBeforeValidation() async throws {
        try await withServer { client in
            let response = try await client.send("GET", "/api/items/not-a-uuid?limit=0")
            #expect(response.status == 401)
        }
    }
}
