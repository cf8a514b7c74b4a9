import Foundation
import HTTPTestClient
import Testing
import TestSupport

/// Users, service users and settings (PRODUCT.md §3, §5, §5a), plus the
/// spec endpoint and HEAD, through a real `tessera serve`.
@Suite("Users and settings")
struct UsersAndSettingsTests {
    // MARK: Users

    @Test("POST /users: 201 User with empty first_name/last_name/position when absent; 409 for a taken email in any case")
    func createUsers() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let before = Date()
        let minimal = try ServiceSteps.object(try await client.call("POST", "/v1/users", token: server.adminSecret,
                                                                 json: ServiceSteps.json(["email": "Ada@Example.com", "full_name": "Ada Lovelace", "role": "MEMBER"])), 201)
        let id = try #require(minimal["user_id"] as? String)
        #expect(UUID(uuidString: id) != nil && id == id.lowercased())
        #expect(minimal["email"] as? String == "Ada@Example.com")
        #expect(minimal["full_name"] as? String == "Ada Lovelace")
        #expect(minimal["first_name"] as? String == "")
        #expect(minimal["last_name"] as? String == "")
        #expect(minimal["position"] as? String == "")
        #expect(minimal["role"] as? String == "MEMBER")
        #expect(minimal["deactivated_at"] == nil || minimal["deactivated_at"] is NSNull)
        let created = try #require(ServiceSteps.date(minimal["created_at"]))
        #expect(created >= before.addingTimeInterval(-0.002) && created <= Date().addingTimeInterval(0.002))

        let full = try ServiceSteps.object(try await client.call("POST", "/v1/users", token: server.adminSecret, json: ServiceSteps.json([
            "email": "grace@example.com", "full_name": "Grace Hopper", "first_name": "Grace", "last_name": "Hopper",
            "position": "Rear Admiral", "role": "ADMIN",
        ])), 201)
        #expect(full["first_name"] as? String == "Grace" && full["last_name"] as? String == "Hopper")
        #expect(full["position"] as? String == "Rear Admiral" && full["role"] as? String == "ADMIN")

        for email in ["Ada@Example.com", "ada@example.com", "ADA@EXAMPLE.COM"] {
            let duplicate = try await client.call("POST", "/v1/users", token: server.adminSecret,
                                                  json: ServiceSteps.json(["email": email, "full_name": "Copy", "role": "MEMBER"]))
            try duplicate.expectError(409, "conflict")
        }

        // Validation: each field named, several in one response.
        try ServiceSteps.expectValidation(try await client.call("POST", "/v1/users", token: server.adminSecret,
                                                            json: ServiceSteps.json(["email": "not an email", "full_name": "X", "role": "MEMBER"])), fields: ["email"])
        try ServiceSteps.expectValidation(try await client.call("POST", "/v1/users", token: server.adminSecret,
                                                            json: ServiceSteps.json(["email": "x@example.com", "role": "MEMBER"])), fields: ["full_name"])
        try ServiceSteps.expectValidation(try await client.call("POST", "/v1/users", token: server.adminSecret,
                                                            json: ServiceSteps.json(["email": "x@example.com", "full_name": "X", "role": "OWNER"])), fields: ["role"])
        let several = try await client.call("POST", "/v1/users", token: server.adminSecret, json: ServiceSteps.json(["email": "nope", "role": "KING"]))
        try ServiceSteps.expectValidation(several, fields: ["email", "full_name", "role"])
        #expect(ServiceSteps.fields(several).count >= 3)
        try ServiceSteps.expectValidation(try await client.call("POST", "/v1/users", token: server.adminSecret,
                                                            json: ServiceSteps.json(["email": "y@example.com", "full_name": "", "role": "MEMBER"])), fields: ["full_name"])
        // Nothing was created by the failures.
        let listed = try ServiceSteps.object(try await client.call("GET", "/v1/users", token: server.adminSecret), 200)["results"] as? [[String: Any]]
        #expect(listed?.count == 3)

        // Members may not create users.
        let member = try await ServiceSteps.createToken(server, label: "m", userID: id)
        try (try await client.call("POST", "/v1/users", token: member.secret,
                                   json: ServiceSteps.json(["email": "z@example.com", "full_name": "Z", "role": "MEMBER"]))).expectError(403, "forbidden")
    }

    @Test("GET /users lists people only (tag_ids matches none); GET /user by user_id or email, user_id wins")
    func readUsers() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let adminID = try await ServiceSteps.userID(server, server.adminSecret)
        let ada = try await ServiceSteps.createUser(server, role: "MEMBER", email: "ada@example.com", name: "Ada")
        let bob = try await ServiceSteps.createUser(server, role: "MEMBER", email: "bob@example.com", name: "Bob")
        let machine = try await ServiceSteps.createServiceUser(server, role: "ADMIN")
        let memberKey = try await ServiceSteps.createToken(server, label: "reader", level: "READ_ONLY", userID: ada)

        // Any user may list and read people; service users never appear.
        for secret in [server.adminSecret, memberKey.secret] {
            let page = try ServiceSteps.object(try await client.call("GET", "/v1/users", token: secret), 200)
            let results = page["results"] as? [[String: Any]] ?? []
            #expect(Set(results.compactMap { $0["user_id"] as? String }) == [adminID, ada, bob])
            for user in results {
                for field in ["user_id", "email", "full_name", "first_name", "last_name", "position", "role", "created_at"] {
                    #expect(user[field] is String, "\(field) missing: \(user)")
                }
            }
        }
        let tagged = try ServiceSteps.object(try await client.call("GET", "/v1/users?tag_ids=\(UUID().uuidString.lowercased())", token: server.adminSecret), 200)
        #expect((tagged["results"] as? [Any])?.isEmpty == true)
        #expect(tagged["next"] == nil || tagged["next"] is NSNull)
        try ServiceSteps.expectValidation(try await client.call("GET", "/v1/users?tag_ids=nope", token: server.adminSecret), fields: ["tag_ids"])

        func user(_ query: String, token: String? = nil) async throws -> LoopbackResponse {
            try await client.call("GET", "/v1/user?\(query)", token: token ?? server.adminSecret)
        }
        #expect(try ServiceSteps.object(try await user("user_id=\(ada)"), 200)["email"] as? String == "ada@example.com")
        #expect(try ServiceSteps.object(try await user("email=bob@example.com"), 200)["user_id"] as? String == bob)
        #expect(try ServiceSteps.object(try await user("email=BOB%40Example.com"), 200)["user_id"] as? String == bob)
        #expect(try ServiceSteps.object(try await user("user_id=\(ada)&email=bob@example.com"), 200)["user_id"] as? String == ada)
        #expect(try ServiceSteps.object(try await user("email=bob@example.com", token: memberKey.secret), 200)["user_id"] as? String == bob)
        try ServiceSteps.expectValidation(try await user(""), fields: [])
        try (try await user("user_id=\(UUID().uuidString.lowercased())")).expectError(404, "not_found")
        try (try await user("email=nobody@example.com")).expectError(404, "not_found")
        try (try await user("user_id=\(machine)")).expectError(404, "not_found")
        try ServiceSteps.expectValidation(try await user("user_id=nope"), fields: ["user_id"])
    }

    @Test("DELETE /users/{id} deactivates: 200 with deactivated_at, tokens refused at once, still listed; the last admin stays")
    func deactivateUsers() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let adminID = try await ServiceSteps.userID(server, server.adminSecret)
        let member = try await ServiceSteps.createUser(server, role: "MEMBER")
        let keys = [try await ServiceSteps.createToken(server, label: "one", userID: member),
                    try await ServiceSteps.createToken(server, label: "two", level: "READ_ONLY", userID: member)]
        for key in keys { #expect(try await client.call("GET", "/v1/self", token: key.secret).status == 200) }

        let before = Date()
        let deactivated = try ServiceSteps.object(try await client.call("DELETE", "/v1/users/\(member)", token: server.adminSecret), 200)
        #expect(deactivated["user_id"] as? String == member)
        let at = try #require(ServiceSteps.date(deactivated["deactivated_at"]), "\(deactivated)")
        #expect(at >= before.addingTimeInterval(-0.002) && at <= Date().addingTimeInterval(0.002))
        for key in keys { try ServiceSteps.expectUnauthorized(try await client.call("GET", "/v1/self", token: key.secret)) }

        // Still listed, with deactivated_at; active users have it null.
        let listed = try ServiceSteps.object(try await client.call("GET", "/v1/users", token: server.adminSecret), 200)["results"] as? [[String: Any]] ?? []
        let row = try #require(listed.first { $0["user_id"] as? String == member })
        #expect(row["deactivated_at"] as? String == deactivated["deactivated_at"] as? String)
        let adminRow = try #require(listed.first { $0["user_id"] as? String == adminID })
        #expect(adminRow["deactivated_at"] == nil || adminRow["deactivated_at"] is NSNull)
        #expect(try ServiceSteps.object(try await client.call("GET", "/v1/user?user_id=\(member)", token: server.adminSecret), 200)["deactivated_at"] as? String
            == deactivated["deactivated_at"] as? String)
        // Again: unchanged.
        let again = try ServiceSteps.object(try await client.call("DELETE", "/v1/users/\(member)", token: server.adminSecret), 200)
        #expect(again["deactivated_at"] as? String == deactivated["deactivated_at"] as? String)

        // Not a person: 404.
        let machine = try await ServiceSteps.createServiceUser(server, role: "MEMBER")
        try (try await client.call("DELETE", "/v1/users/\(machine)", token: server.adminSecret)).expectError(404, "not_found")
        try (try await client.call("DELETE", "/v1/users/\(UUID().uuidString.lowercased())", token: server.adminSecret)).expectError(404, "not_found")

        // The last active admin cannot be deactivated; with a second one, one can go.
        try (try await client.call("DELETE", "/v1/users/\(adminID)", token: server.adminSecret)).expectError(422, "unprocessable_entity")
        #expect(try await client.call("GET", "/v1/self", token: server.adminSecret).status == 200)
        let second = try await ServiceSteps.createUser(server, role: "ADMIN")
        let secondKey = try await ServiceSteps.createToken(server, label: "second admin", userID: second)
        #expect(try await client.call("DELETE", "/v1/users/\(adminID)", token: secondKey.secret).status == 200)
        try ServiceSteps.expectUnauthorized(try await client.call("GET", "/v1/self", token: server.adminSecret))
        try (try await client.call("DELETE", "/v1/users/\(second)", token: secondKey.secret)).expectError(422, "unprocessable_entity")

        // Members may not deactivate anyone.
        let other = try await ServiceSteps.createUser(server, role: "MEMBER", token: secondKey.secret)
        let otherKey = try await ServiceSteps.createToken(server, label: "o", userID: other, token: secondKey.secret)
        try (try await client.call("DELETE", "/v1/users/\(second)", token: otherKey.secret)).expectError(403, "forbidden")
    }

    // MARK: Service users

    @Test("Service users: create, list, get, delete (200 then 404); their keys stop at once")
    func serviceUsers() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let before = Date()
        let created = try ServiceSteps.object(try await client.call("POST", "/v1/service-users", token: server.adminSecret,
                                                                 json: ServiceSteps.json(["name": "ci-deployer", "role": "MEMBER"])), 201)
        let id = try #require(created["user_id"] as? String)
        #expect(UUID(uuidString: id) != nil && id == id.lowercased())
        #expect(created["name"] as? String == "ci-deployer")
        #expect(created["description"] as? String == "")
        #expect(created["role"] as? String == "MEMBER")
        #expect(ServiceSteps.date(created["created_at"]).map { $0 >= before.addingTimeInterval(-0.002) } == true)
        #expect(Set(created.keys) == ["user_id", "name", "description", "role", "created_at"])
        let described = try ServiceSteps.object(try await client.call("POST", "/v1/service-users", token: server.adminSecret,
                                                                   json: ServiceSteps.json(["name": "backup", "description": "Nightly backups.", "role": "ADMIN"])), 201)
        #expect(described["description"] as? String == "Nightly backups.")
        try ServiceSteps.expectValidation(try await client.call("POST", "/v1/service-users", token: server.adminSecret,
                                                            json: ServiceSteps.json(["description": "no name", "role": "ROBOT"])), fields: ["name", "role"])

        let list = try ServiceSteps.object(try await client.call("GET", "/v1/service-users", token: server.adminSecret), 200)
        let rows = list["results"] as? [[String: Any]] ?? []
        #expect(rows.compactMap { $0["user_id"] as? String } == [id, try #require(described["user_id"] as? String)])
        let fetched = try ServiceSteps.object(try await client.call("GET", "/v1/service-users/\(id)", token: server.adminSecret), 200)
        #expect(ServiceSteps.json(fetched) == ServiceSteps.json(created))
        let adminID = try await ServiceSteps.userID(server, server.adminSecret)
        try (try await client.call("GET", "/v1/service-users/\(adminID)", token: server.adminSecret)).expectError(404, "not_found")

        // Its keys, and their access tokens, stop when it is deleted.
        let key = try await ServiceSteps.createToken(server, label: "deploy", userID: id)
        let access = try await ServiceSteps.exchange(server, key.secret)
        #expect(try await client.call("GET", "/v1/self", token: key.secret).status == 200)
        #expect(try await client.call("GET", "/v1/self", token: access).status == 200)
        let deleted = try await client.call("DELETE", "/v1/service-users/\(id)", token: server.adminSecret)
        #expect(deleted.status == 200, "\(deleted.text)")
        try ServiceSteps.expectUnauthorized(try await client.call("GET", "/v1/self", token: key.secret))
        try ServiceSteps.expectUnauthorized(try await client.call("GET", "/v1/self", token: access))
        try (try await client.call("GET", "/v1/service-users/\(id)", token: server.adminSecret)).expectError(404, "not_found")
        try (try await client.call("DELETE", "/v1/service-users/\(id)", token: server.adminSecret)).expectError(404, "not_found")
        try (try await client.call("DELETE", "/v1/service-users/\(adminID)", token: server.adminSecret)).expectError(404, "not_found")
        let after = try ServiceSteps.object(try await client.call("GET", "/v1/service-users", token: server.adminSecret), 200)
        #expect((after["results"] as? [[String: Any]])?.contains { $0["user_id"] as? String == id } == false)
        #expect(try await ServiceSteps.tokenIDs(server, query: "user_id=\(id)").isEmpty)
    }

    @Test("A service user's key acts with the service user's role")
    func serviceUserRoles() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let memberRobot = try await ServiceSteps.createServiceUser(server, role: "MEMBER")
        let adminRobot = try await ServiceSteps.createServiceUser(server, role: "ADMIN")
        let memberKey = try await ServiceSteps.createToken(server, label: "member robot", userID: memberRobot)
        let adminKey = try await ServiceSteps.createToken(server, label: "admin robot", userID: adminRobot)

        let memberSelf = try ServiceSteps.object(try await client.call("GET", "/v1/self", token: memberKey.secret), 200)
        let identity = memberSelf["identity"] as? [String: Any]
        #expect(identity?["type"] as? String == "SERVICE_USER" && identity?["role"] as? String == "MEMBER")
        #expect(identity?["email"] == nil)
        let newUser = ServiceSteps.json(["email": "robot-made@example.com", "full_name": "Robot Made", "role": "MEMBER"])
        try (try await client.call("POST", "/v1/users", token: memberKey.secret, json: newUser)).expectError(403, "forbidden")
        try (try await client.call("GET", "/v1/tokens", token: memberKey.secret)).expectError(403, "forbidden")
        try (try await client.call("GET", "/v1/service-users", token: memberKey.secret)).expectError(403, "forbidden")
        try (try await client.call("PATCH", "/v1/settings", token: memberKey.secret, json: "{}")).expectError(403, "forbidden")
        #expect(try await client.call("GET", "/v1/users", token: memberKey.secret).status == 200)
        #expect(try await client.call("GET", "/v1/settings", token: memberKey.secret).status == 200)

        #expect(try await client.call("POST", "/v1/users", token: adminKey.secret, json: newUser).status == 201)
        #expect(try await client.call("GET", "/v1/tokens", token: adminKey.secret).status == 200)
        #expect(try await client.call("GET", "/v1/service-users", token: adminKey.secret).status == 200)
        let issued = try await ServiceSteps.createToken(server, label: "from robot", userID: memberRobot, token: adminKey.secret)
        SecretFormat.expectWellFormed(issued.secret, prefix: "tss_")
    }

    // MARK: Settings

    @Test("Settings: members read; PATCH is a merge patch (application/json and merge-patch+json) with null rules and ranges")
    func settings() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        func patch(_ body: String, contentType: String = "application/json", token: String? = nil) async throws -> LoopbackResponse {
            try await client.send("PATCH", "/v1/settings", headers: [("Authorization", "Bearer \(token ?? server.adminSecret)"), ("Content-Type", contentType)],
                                  body: Array(body.utf8))
        }
        func current() async throws -> String {
            ServiceSteps.json(try ServiceSteps.object(try await client.call("GET", "/v1/settings", token: server.adminSecret), 200))
        }
        let defaults = try ServiceSteps.object(try await client.call("GET", "/v1/settings", token: server.adminSecret), 200)
        #expect(defaults["allow_all_users_to_create_pats"] as? Bool == false)
        #expect(defaults["max_token_lifetime_days"] is NSNull)
        #expect(defaults["access_token_ttl_seconds"] as? Int == 3600)

        let member = try await ServiceSteps.createUser(server, role: "MEMBER")
        let memberKey = try await ServiceSteps.createToken(server, label: "m", userID: member)
        #expect(ServiceSteps.json(try ServiceSteps.object(try await client.call("GET", "/v1/settings", token: memberKey.secret), 200)) == ServiceSteps.json(defaults))
        try (try await patch(#"{"allow_all_users_to_create_pats": true}"#, token: memberKey.secret)).expectError(403, "forbidden")

        // Absent fields are unchanged.
        let first = try ServiceSteps.object(try await patch(#"{"allow_all_users_to_create_pats": true}"#), 200)
        #expect(first["allow_all_users_to_create_pats"] as? Bool == true)
        #expect(first["max_token_lifetime_days"] is NSNull && first["access_token_ttl_seconds"] as? Int == 3600)
        let second = try ServiceSteps.object(try await patch(#"{"max_token_lifetime_days": 30}"#, contentType: "application/merge-patch+json"), 200)
        #expect(second["allow_all_users_to_create_pats"] as? Bool == true)
        #expect(second["max_token_lifetime_days"] as? Int == 30 && second["access_token_ttl_seconds"] as? Int == 3600)
        let third = try ServiceSteps.object(try await patch(#"{"access_token_ttl_seconds": 120}"#, contentType: "application/merge-patch+json; charset=utf-8"), 200)
        #expect(third["max_token_lifetime_days"] as? Int == 30 && third["access_token_ttl_seconds"] as? Int == 120)
        #expect(ServiceSteps.json(try ServiceSteps.object(try await patch("{}"), 200)) == ServiceSteps.json(third))
        #expect(try await current() == ServiceSteps.json(third))

        // null clears the lifetime limit and only it.
        let cleared = try ServiceSteps.object(try await patch(#"{"max_token_lifetime_days": null}"#, contentType: "application/merge-patch+json"), 200)
        #expect(cleared["max_token_lifetime_days"] is NSNull)
        #expect(cleared["allow_all_users_to_create_pats"] as? Bool == true && cleared["access_token_ttl_seconds"] as? Int == 120)
        let saved = try await current()

        // Refused patches change nothing.
        let refusals: [(String, String)] = [
            (#"{"allow_all_users_to_create_pats": null}"#, "allow_all_users_to_create_pats"),
            (#"{"access_token_ttl_seconds": null}"#, "access_token_ttl_seconds"),
            (#"{"access_token_ttl_seconds": 59}"#, "access_token_ttl_seconds"),
            (#"{"access_token_ttl_seconds": 86401}"#, "access_token_ttl_seconds"),
            (#"{"access_token_ttl_seconds": "600"}"#, "access_token_ttl_seconds"),
            (#"{"max_token_lifetime_days": 0}"#, "max_token_lifetime_days"),
            (#"{"max_token_lifetime_days": 3651}"#, "max_token_lifetime_days"),
            (#"{"allow_all_users_to_create_pats": "yes"}"#, "allow_all_users_to_create_pats"),
            (#"{"allow_all_users_to_create_pats": false, "colour": "blue"}"#, "colour"),
        ]
        for (body, field) in refusals {
            try ServiceSteps.expectValidation(try await patch(body), fields: [field])
            try ServiceSteps.expectValidation(try await patch(body, contentType: "application/merge-patch+json"), fields: [field])
        }
        let two = try await patch(#"{"allow_all_users_to_create_pats": null, "access_token_ttl_seconds": 5}"#)
        try ServiceSteps.expectValidation(two, fields: ["allow_all_users_to_create_pats", "access_token_ttl_seconds"])
        #expect(try await current() == saved)

        // The bounds are accepted.
        #expect(try ServiceSteps.object(try await patch(#"{"access_token_ttl_seconds": 60, "max_token_lifetime_days": 3650}"#), 200)["access_token_ttl_seconds"] as? Int == 60)
        #expect(try ServiceSteps.object(try await patch(#"{"access_token_ttl_seconds": 86400, "max_token_lifetime_days": 1}"#), 200)["max_token_lifetime_days"] as? Int == 1)
    }

    @Test("Bodies: text/plain → 415, over 64 KiB → 413, malformed JSON → 400")
    func bodies() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let auth = ("Authorization", "Bearer \(server.adminSecret)")
        let before = try await client.call("GET", "/v1/settings", token: server.adminSecret).text

        let plain = try await client.send("PATCH", "/v1/settings", headers: [auth, ("Content-Type", "text/plain")],
                                          body: Array(#"{"allow_all_users_to_create_pats": true}"#.utf8))
        try plain.expectError(415, "unsupported_media_type")
        let plainUser = try await client.send("POST", "/v1/users", headers: [auth, ("Content-Type", "text/plain")],
                                              body: Array(#"{"email": "a@example.com", "full_name": "A", "role": "MEMBER"}"#.utf8))
        try plainUser.expectError(415, "unsupported_media_type")

        let padding = String(repeating: "x", count: 70 * 1024)
        let large = try await client.call("PATCH", "/v1/settings", token: server.adminSecret,
                                          json: #"{"allow_all_users_to_create_pats": true, "pad": "\#(padding)"}"#)
        try large.expectError(413, "payload_too_large")
        let largeToken = try await client.call("POST", "/v1/tokens", token: server.adminSecret,
                                               json: ServiceSteps.json(["token_label": padding, "access_level": "READ_ONLY"]))
        try largeToken.expectError(413, "payload_too_large")
        // Just under the limit is read (and then refused for what it says).
        let under = String(repeating: "y", count: 60 * 1024)
        try ServiceSteps.expectValidation(try await client.call("POST", "/v1/tokens", token: server.adminSecret,
                                                            json: ServiceSteps.json(["token_label": under, "access_level": "READ_ONLY"])), fields: ["token_label"])

        for malformed in [#"{"allow_all_users_to_create_pats": tru}"#, "{", #"{"a": 1,}"#, "[1, 2", "\u{FF}"] {
            let response = try await client.call("PATCH", "/v1/settings", token: server.adminSecret, json: malformed)
            try response.expectError(400, "validation_error")
        }
        try ServiceSteps.expectValidation(try await client.call("PATCH", "/v1/settings", token: server.adminSecret, json: "[]"), fields: [])
        #expect(try await client.call("GET", "/v1/settings", token: server.adminSecret).text == before)
    }

    // MARK: The spec and HEAD

    @Test("GET /openapi.yaml serves the spec byte for byte without credentials")
    func openAPIDocument() async throws {
        let server = try await TesseraProcess.start()
        let expected = try Data(contentsOf: Locations.packageRoot.appendingPathComponent("openapi.yaml"))
        let response = try await server.client.call("GET", "/v1/openapi.yaml")
        #expect(response.status == 200)
        #expect(Data(response.body) == expected, "served \(response.body.count) bytes, file has \(expected.count)")
        #expect(response.header("Content-Type")?.hasPrefix("application/yaml") == true)
        #expect(try await server.client.call("GET", "/v1/healthz").status == 200)
    }

    @Test("HEAD on a GET route answers with the GET's status and headers and no body")
    func head() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        for (path, token) in [("/v1/self", server.adminSecret), ("/v1/openapi.yaml", nil), ("/v1/tokens?page_size=5", server.adminSecret),
                              ("/v1/settings", server.adminSecret)] as [(String, String?)] {
            let get = try await client.call("GET", path, token: token)
            let head = try await client.call("HEAD", path, token: token)
            #expect(head.status == 200 && get.status == 200, "\(path)")
            #expect(head.body.isEmpty, "\(path): HEAD has a body")
            #expect(head.header("Content-Type") == get.header("Content-Type"), "\(path)")
            let id = head.header("X-Correlation-ID")
            #expect(id?.count == 32, "\(path)")
            // RFC 9110 §9.3.2: Tessera sends the Content-Length the GET would
            // have. Equal lengths are checked where the body cannot change
            // between the two requests (the others show last_used_at).
            let length = try #require(head.header("Content-Length").flatMap { Int($0) }, "\(path): no Content-Length")
            #expect(head.header("Transfer-Encoding") == nil, "\(path)")
            if ["/v1/openapi.yaml", "/v1/settings"].contains(path) {
                #expect(length == get.body.count, "\(path): Content-Length \(length)")
            }
        }
        // Errors too: no body, the same status.
        let unauthorized = try await client.call("HEAD", "/v1/self")
        #expect(unauthorized.status == 401 && unauthorized.body.isEmpty)
        #expect(unauthorized.header("WWW-Authenticate") == #"Bearer error="invalid_token""#)
        let missing = try await client.call("HEAD", "/v1/nowhere", token: server.adminSecret)
        #expect(missing.status == 404 && missing.body.isEmpty)
    }
}
