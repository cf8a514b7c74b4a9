import APIRuntime
import APIServer
import Foundation
import HTTPTypes
import HTTPTestClient
import Hummingbird
import Logging
import ServiceLifecycle
import Testing

@Suite struct ParameterTests {
    @Test func everyStyleArrivesTyped() async throws {
        try await withServer { client in
            let headers = user + [("X-Trace", "abc"), ("X-Levels", "3,1")]
            let response = try await client.send("GET", "/api/items/\(itemID.uppercased())?tags=ab&tags=c%20d&ids=1,2&names=a%2Cb,c+d,%E2%82%AC,&limit=3&mode=fast&since=2024-01-02T03:04:05%2B02:00", headers: headers)
            #expect(response.status == 200)
            #expect(try json(response) == ["summary": .string("item=\(itemID) tags=ab,c d ids=1,2 names=a,b|c d|€| limit=3 mode=fast trace=abc levels=3,1 since=2024-01-02T01:04:05Z by=user")])
        }
    }

    @Test func defaultsApplyWhenAbsent() async throws {
        try await withServer { client in
            let response = try await client.send("GET", "/api/items/\(itemID)", headers: user)
            #expect(try json(response) == ["summary": .string("item=\(itemID) tags= ids= names= limit=5 mode=- trace=- levels= since=- by=user")])
        }
    }

    @Test func everyParameterRuleIsCheckedAndNamed() async throws {
        try await withServer { client in
            let headers = user + [("X-Trace", "ABC"), ("X-Levels", "1,x")]
            let response = try await client.send("GET", "/api/items/123?tags=a&tags=ok&ids=1,x,3,4&limit=11&mode=medium&since=yesterday", headers: headers)
            #expect(response.status == 400)
            try expectErrorBody(response, code: "validation_error")
            #expect(Set(try fieldErrors(response)) == [
                "item_id: must be a UUID",
                "tags[0]: must be at least 2 characters",
                "ids[1]: must be an integer",
                "limit: must be at most 10",
                "mode: must be one of fast, slow",
                "X-Trace: must match the pattern ^[a-z]+$",
                "X-Levels[1]: must be an integer",
                "since: must be an RFC 3339 date-time",
            ])
            let tooMany = try await client.send("GET", "/api/items/\(itemID)?ids=1,2,3,4&limit=0", headers: user)
            #expect(Set(try fieldErrors(tooMany)) == ["ids: must have at most 3 items", "limit: must be at least 1"])
            // `ids=` is one empty item, in both styles, not an empty list.
            let empty = try await client.send("GET", "/api/items/\(itemID)?ids=&tags=", headers: user)
            #expect(empty.status == 400)
            #expect(Set(try fieldErrors(empty)) == ["ids[0]: must be an integer", "tags[0]: must be at least 2 characters"])
        }
    }
}
