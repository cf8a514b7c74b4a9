import Foundation
import HTTPTestClient
import TesseraClient
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
        let admin = server.adminAPI
        let before = Date()
        // Raw, to see the id as written: a UUID in lower case.
        let response = try await client.call("POST", "/v1/users", token: server.adminSecret,
                                             json: ServiceSteps.json(["email": "Ada@Example.com", "full_name": "Ada Lovelace", "role": "MEMBER"]))
        let minimal = try ServiceSteps.decode(Schemas.User.self, response, 201)
        let id = minimal.userID
        #expect(response.text.contains(id.uuidString.lowercased()) && !response.text.contains(id.uuidString), "\(response.text)")
        #expect(minimal.email == "Ada@Example.com")
        #expect(minimal.fullName == "Ada Lovelace")
        #expect(minimal.firstName == "")
        #expect(minimal.lastName == "")
        #expect(minimal.position == "")
        #expect(minimal.role == .member)
        #expect((minimal.deactivatedAt ?? nil) == nil)
        #expect(minimal.createdAt >= before.addingTimeInterval(-0.002) && minimal.createdAt <= Date().addingTimeInterval(0.002))

        let grace = Schemas.CreateUserRequest(email: "grace@example.com", fullName: "Grace Hopper", firstName: "Grace", lastName: "Hopper",
                                              position: "Rear Admiral", role: .admin)
        let fullOutput = try await admin.createUser(.init(body: grace))
        guard case .created(let full) = fullOutput else { throw Unexpected(fullOutput, "201") }
        #expect(full.firstName == "Grace" && full.lastName == "Hopper")
        #expect(full.position == "Rear Admiral" && full.role == .admin)

        for email in ["Ada@Example.com", "ada@example.com", "ADA@EXAMPLE.COM"] {
            let duplicate = try await admin.createUser(.init(body: .init(email: email, fullName: "Copy", role: .member)))
            guard case .conflict(let error) = duplicate else { Issue.record(Unexpected(duplicate, "409")); continue }
            ServiceSteps.expectError(error, .conflict)
        }

        // Validation: each field named, several in one response.
        func expectRefused(_ body: Schemas.CreateUserRequest, fields: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let output = try await admin.createUser(.init(body: body))
            guard case .badRequest(let error) = output else { Issue.record(Unexpected(output, "400"), sourceLocation: sourceLocation); return }
            ServiceSteps.expectValidation(error, fields: fields, sourceLocation: sourceLocation)
        }
        try await expectRefused(.init(email: "not an email", fullName: "X", role: .member), fields: ["email"])
        try await expectRefused(.init(email: "y@example.com", fullName: "", role: .member), fields: ["full_name"])
        // A missing field and an unknown role, which the client cannot send: raw.
        try ServiceSteps.expectValidation(try await client.call("POST", "/v1/users", token: server.adminSecret,
                                                            json: ServiceSteps.json(["email": "x@example.com", "role": "MEMBER"])), fields: ["full_name"])
        try ServiceSteps.expectValidation(try await client.call("POST", "/v1/users", token: server.adminSecret,
                                                            json: ServiceSteps.json(["email": "x@example.com", "full_name": "X", "role": "OWNER"])), fields: ["role"])
        let several = try await client.call("POST", "/v1/users", token: server.adminSecret, json: ServiceSteps.json(["email": "nope", "role": "KING"]))
        let severalError = try ServiceSteps.expectValidation(several, fields: ["email", "full_name", "role"])
        #expect((severalError.errors ?? []).count >= 3)
        // Nothing was created by the failures.
        let listOutput = try await admin.getUsers()
        guard case .ok(let listed) = listOutput else { throw Unexpected(listOutput, "200") }
        #expect(listed.results.count == 3)

        // Members may not create users.
        let member = try await ServiceSteps.newToken(server, label: "m", userID: id)
        let byMember = try await server.api(member.secret).createUser(.init(body: .init(email: "z@example.com", fullName: "Z", role: .member)))
        guard case .forbidden(let forbidden) = byMember else { throw Unexpected(byMember, "403") }
        ServiceSteps.expectError(forbidden, .forbidden)
    }

    @Test("GET /users lists people only (tag_ids matches none); GET /user by user_id or email, user_id wins")
    func readUsers() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let admin = server.adminAPI
        let adminID = try await ServiceSteps.me(server, server.adminSecret).identity.userID
        let ada = try await ServiceSteps.newUser(server, role: .member, email: "ada@example.com", name: "Ada")
        let bob = try await ServiceSteps.newUser(server, role: .member, email: "bob@example.com", name: "Bob")
        let machine = try await ServiceSteps.newServiceUser(server, role: .admin)
        let memberKey = try await ServiceSteps.newToken(server, label: "reader", level: .readOnly, userID: ada)

        // Any user may list and read people; service users never appear.
        // (Every field of a User is required: the client refuses a row without one.)
        for secret in [server.adminSecret, memberKey.secret] {
            let output = try await server.api(secret).getUsers()
            guard case .ok(let page) = output else { Issue.record(Unexpected(output, "200")); continue }
            #expect(Set(page.results.map(\.userID)) == [adminID, ada, bob])
        }
        let taggedOutput = try await admin.getUsers(.init(tagIDs: [UUID()]))
        guard case .ok(let tagged) = taggedOutput else { throw Unexpected(taggedOutput, "200") }
        #expect(tagged.results.isEmpty)
        #expect((tagged.next ?? nil) == nil)
        // A malformed id, which the client cannot send: raw.
        try ServiceSteps.expectValidation(try await client.call("GET", "/v1/users?tag_ids=nope", token: server.adminSecret), fields: ["tag_ids"])

        func user(_ query: Operations.User.Input, token: String? = nil) async throws -> Schemas.User {
            let output = try await server.api(token ?? server.adminSecret).user(query)
            guard case .ok(let user) = output else { throw Unexpected(output, "200") }
            return user
        }
        func expectNotFound(_ query: Operations.User.Input, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let output = try await admin.user(query)
            guard case .notFound(let error) = output else { Issue.record(Unexpected(output, "404"), sourceLocation: sourceLocation); return }
            ServiceSteps.expectError(error, .notFound, sourceLocation: sourceLocation)
        }
        #expect(try await user(.init(userID: ada)).email == "ada@example.com")
        #expect(try await user(.init(email: "bob@example.com")).userID == bob)
        // A percent-encoded email in another case (the client would not encode `@`): raw.
        let encoded = try await client.call("GET", "/v1/user?email=BOB%40Example.com", token: server.adminSecret)
        #expect(try ServiceSteps.decode(Schemas.User.self, encoded, 200).userID == bob)
        #expect(try await user(.init(userID: ada, email: "bob@example.com")).userID == ada)
        #expect(try await user(.init(email: "bob@example.com"), token: memberKey.secret).userID == bob)
        let neither = try await admin.user(.init())
        guard case .badRequest(let neitherError) = neither else { throw Unexpected(neither, "400") }
        ServiceSteps.expectValidation(neitherError, fields: [])
        try await expectNotFound(.init(userID: UUID()))
        try await expectNotFound(.init(email: "nobody@example.com"))
        try await expectNotFound(.init(userID: machine))
        try ServiceSteps.expectValidation(try await client.call("GET", "/v1/user?user_id=nope", token: server.adminSecret), fields: ["user_id"])
    }

    @Test("DELETE /users/{id} deactivates: 200 with deactivated_at, tokens refused at once, still listed; the last admin stays")
    func deactivateUsers() async throws {
        let server = try await TesseraProcess.start()
        let admin = server.adminAPI
        let adminID = try await ServiceSteps.me(server, server.adminSecret).identity.userID
        let member = try await ServiceSteps.newUser(server, role: .member)
        let keys = [try await ServiceSteps.newToken(server, label: "one", userID: member),
                    try await ServiceSteps.newToken(server, label: "two", level: .readOnly, userID: member)]
        for key in keys { try await ServiceSteps.expectAccepted(server, key.secret) }

        func deactivate(_ id: UUID, by caller: Client) async throws -> Operations.DeactivateUser.Output {
            try await caller.deactivateUser(.init(userID: id))
        }
        let before = Date()
        let output = try await deactivate(member, by: admin)
        guard case .ok(let deactivated) = output else { throw Unexpected(output, "200") }
        #expect(deactivated.userID == member)
        let at = try #require(deactivated.deactivatedAt ?? nil, "\(deactivated)")
        #expect(at >= before.addingTimeInterval(-0.002) && at <= Date().addingTimeInterval(0.002))
        for key in keys { try await ServiceSteps.expectRefused(server, key.secret) }

        // Still listed, with deactivated_at; active users have it null.
        let listOutput = try await admin.getUsers()
        guard case .ok(let listed) = listOutput else { throw Unexpected(listOutput, "200") }
        let row = try #require(listed.results.first { $0.userID == member })
        #expect(row.deactivatedAt ?? nil == at)
        let adminRow = try #require(listed.results.first { $0.userID == adminID })
        #expect((adminRow.deactivatedAt ?? nil) == nil)
        let readOutput = try await admin.user(.init(userID: member))
        guard case .ok(let read) = readOutput else { throw Unexpected(readOutput, "200") }
        #expect(read.deactivatedAt ?? nil == at)
        // Again: unchanged.
        let againOutput = try await deactivate(member, by: admin)
        guard case .ok(let again) = againOutput else { throw Unexpected(againOutput, "200") }
        #expect(again.deactivatedAt ?? nil == at)

        func expectRefused(_ id: UUID, by caller: Client, _ code: Schemas.Error.ErrorValue, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let output = try await deactivate(id, by: caller)
            let error: Schemas.Error
            switch output {
            case .notFound(let body) where code == .notFound: error = body
            case .forbidden(let body) where code == .forbidden: error = body
            case .unprocessableContent(let body) where code == .unprocessableEntity: error = body
            default: Issue.record(Unexpected(output, "\(code)"), sourceLocation: sourceLocation); return
            }
            ServiceSteps.expectError(error, code, sourceLocation: sourceLocation)
        }
        // Not a person: 404.
        let machine = try await ServiceSteps.newServiceUser(server, role: .member)
        try await expectRefused(machine, by: admin, .notFound)
        try await expectRefused(UUID(), by: admin, .notFound)

        // The last active admin cannot be deactivated (422); with a second one, one can go.
        try await expectRefused(adminID, by: admin, .unprocessableEntity)
        try await ServiceSteps.expectAccepted(server, server.adminSecret)
        let second = try await ServiceSteps.newUser(server, role: .admin)
        let secondKey = try await ServiceSteps.newToken(server, label: "second admin", userID: second)
        let secondAPI = server.api(secondKey.secret)
        let firstGone = try await deactivate(adminID, by: secondAPI)
        guard case .ok = firstGone else { throw Unexpected(firstGone, "200") }
        try await ServiceSteps.expectRefused(server, server.adminSecret)
        try await expectRefused(second, by: secondAPI, .unprocessableEntity)

        // Members may not deactivate anyone.
        let other = try await ServiceSteps.newUser(server, role: .member, token: secondKey.secret)
        let otherKey = try await ServiceSteps.newToken(server, label: "o", userID: other, token: secondKey.secret)
        try await expectRefused(second, by: server.api(otherKey.secret), .forbidden)
    }

    // MARK: Service users

    @Test("Service users: create, list, get, delete (200 then 404); their keys stop at once")
    func serviceUsers() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let admin = server.adminAPI
        let before = Date()
        // Raw, to see the id as written and exactly the published fields.
        let response = try await client.call("POST", "/v1/service-users", token: server.adminSecret,
                                             json: ServiceSteps.json(["name": "ci-deployer", "role": "MEMBER"]))
        let created = try ServiceSteps.decode(Schemas.ServiceUser.self, response, 201)
        let id = created.userID
        #expect(response.text.contains(id.uuidString.lowercased()) && !response.text.contains(id.uuidString), "\(response.text)")
        #expect(created.name == "ci-deployer")
        #expect(created.description == "")
        #expect(created.role == .member)
        #expect(created.createdAt >= before.addingTimeInterval(-0.002))
        #expect(Set(try response.object.keys) == ["user_id", "name", "description", "role", "created_at"])
        let describedOutput = try await admin.createServiceUser(.init(body: .init(name: "backup", description: "Nightly backups.", role: .admin)))
        guard case .created(let described) = describedOutput else { throw Unexpected(describedOutput, "201") }
        #expect(described.description == "Nightly backups.")
        // A missing name and an unknown role, which the client cannot send: raw.
        try ServiceSteps.expectValidation(try await client.call("POST", "/v1/service-users", token: server.adminSecret,
                                                            json: ServiceSteps.json(["description": "no name", "role": "ROBOT"])), fields: ["name", "role"])

        let listOutput = try await admin.getServiceUsers()
        guard case .ok(let list) = listOutput else { throw Unexpected(listOutput, "200") }
        #expect(list.results.map(\.userID) == [id, described.userID])
        // The same object as created, field for field (compared as JSON, so an extra field would show).
        let fetched = try await client.call("GET", "/v1/service-users/\(id.uuidString.lowercased())", token: server.adminSecret)
        #expect(ServiceSteps.json(try ServiceSteps.object(fetched, 200)) == ServiceSteps.json(try response.object))
        let adminID = try await ServiceSteps.me(server, server.adminSecret).identity.userID
        let getAdmin = try await admin.getServiceUser(.init(userID: adminID))
        guard case .notFound(let getAdminError) = getAdmin else { throw Unexpected(getAdmin, "404") }
        ServiceSteps.expectError(getAdminError, .notFound)

        // Its keys, and their access tokens, stop when it is deleted.
        let key = try await ServiceSteps.newToken(server, label: "deploy", userID: id)
        let access = try await ServiceSteps.accessToken(server, key.secret).accessToken
        try await ServiceSteps.expectAccepted(server, key.secret)
        try await ServiceSteps.expectAccepted(server, access)
        let deleted = try await admin.deleteServiceUser(.init(userID: id))
        guard case .ok = deleted else { throw Unexpected(deleted, "200") }
        try await ServiceSteps.expectRefused(server, key.secret)
        try await ServiceSteps.expectRefused(server, access)
        let getDeleted = try await admin.getServiceUser(.init(userID: id))
        guard case .notFound(let getDeletedError) = getDeleted else { throw Unexpected(getDeleted, "404") }
        ServiceSteps.expectError(getDeletedError, .notFound)
        for gone in [id, adminID] {
            let again = try await admin.deleteServiceUser(.init(userID: gone))
            guard case .notFound(let error) = again else { Issue.record(Unexpected(again, "404")); continue }
            ServiceSteps.expectError(error, .notFound)
        }
        let afterOutput = try await admin.getServiceUsers()
        guard case .ok(let after) = afterOutput else { throw Unexpected(afterOutput, "200") }
        #expect(!after.results.contains { $0.userID == id })
        #expect(try await ServiceSteps.listed(server, .init(userID: id)).isEmpty)
    }

    @Test("A service user's key acts with the service user's role")
    func serviceUserRoles() async throws {
        let server = try await TesseraProcess.start()
        let memberRobot = try await ServiceSteps.newServiceUser(server, role: .member)
        let adminRobot = try await ServiceSteps.newServiceUser(server, role: .admin)
        let memberKey = try await ServiceSteps.newToken(server, label: "member robot", userID: memberRobot)
        let adminKey = try await ServiceSteps.newToken(server, label: "admin robot", userID: adminRobot)

        let identity = try await ServiceSteps.me(server, memberKey.secret).identity
        #expect(identity.type == .serviceUser && identity.role == .member)
        #expect(identity.email == nil)
        let newUser = Operations.CreateUser.Input(body: .init(email: "robot-made@example.com", fullName: "Robot Made", role: .member))
        let member = server.api(memberKey.secret)
        var refusals: [Schemas.Error] = []
        switch try await member.createUser(newUser) {
        case .forbidden(let error): refusals.append(error)
        case let other: Issue.record(Unexpected(other, "403"))
        }
        switch try await member.getTokens() {
        case .forbidden(let error): refusals.append(error)
        case let other: Issue.record(Unexpected(other, "403"))
        }
        switch try await member.getServiceUsers() {
        case .forbidden(let error): refusals.append(error)
        case let other: Issue.record(Unexpected(other, "403"))
        }
        switch try await member.updateSettings(.init(body: .init())) {
        case .forbidden(let error): refusals.append(error)
        case let other: Issue.record(Unexpected(other, "403"))
        }
        for error in refusals { ServiceSteps.expectError(error, .forbidden) }
        let users = try await member.getUsers()
        guard case .ok = users else { throw Unexpected(users, "200") }
        let settings = try await member.getSettings()
        guard case .ok = settings else { throw Unexpected(settings, "200") }

        let robot = server.api(adminKey.secret)
        let made = try await robot.createUser(newUser)
        guard case .created = made else { throw Unexpected(made, "201") }
        let tokens = try await robot.getTokens()
        guard case .ok = tokens else { throw Unexpected(tokens, "200") }
        let serviceUsers = try await robot.getServiceUsers()
        guard case .ok = serviceUsers else { throw Unexpected(serviceUsers, "200") }
        let issued = try await ServiceSteps.newToken(server, label: "from robot", userID: memberRobot, token: adminKey.secret)
        SecretFormat.expectWellFormed(issued.secret, prefix: "tss_")
    }

    // MARK: Settings

    @Test("Settings: members read; PATCH is a merge patch (application/json and merge-patch+json) with null rules and ranges")
    func settings() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let admin = server.adminAPI
        /// A raw PATCH: for a content type the client does not send, or a body it cannot write.
        func patch(_ body: String, contentType: String = "application/json", token: String? = nil) async throws -> LoopbackResponse {
            try await client.send("PATCH", "/v1/settings", headers: [("Authorization", "Bearer \(token ?? server.adminSecret)"), ("Content-Type", contentType)],
                                  body: Array(body.utf8))
        }
        func current(_ caller: Client? = nil) async throws -> Schemas.Settings {
            let output = try await (caller ?? admin).getSettings()
            guard case .ok(let settings) = output else { throw Unexpected(output, "200") }
            return settings
        }
        let defaults = try await current()
        #expect(defaults.allowAllUsersToCreatePats == false)
        #expect(defaults.maxTokenLifetimeDays == nil)
        #expect(defaults.accessTokenTtlSeconds == 3600)

        let member = try await ServiceSteps.newUser(server, role: .member)
        let memberKey = try await ServiceSteps.newToken(server, label: "m", userID: member)
        #expect(try await current(server.api(memberKey.secret)) == defaults)
        let byMember = try await server.api(memberKey.secret).updateSettings(.init(body: .init(allowAllUsersToCreatePats: true)))
        guard case .forbidden(let memberError) = byMember else { throw Unexpected(byMember, "403") }
        ServiceSteps.expectError(memberError, .forbidden)

        // Absent fields are unchanged.
        let first = try await ServiceSteps.update(server, .init(allowAllUsersToCreatePats: true))
        #expect(first.allowAllUsersToCreatePats == true)
        #expect(first.maxTokenLifetimeDays == nil && first.accessTokenTtlSeconds == 3600)
        let second = try ServiceSteps.decode(Schemas.Settings.self, try await patch(#"{"max_token_lifetime_days": 30}"#, contentType: "application/merge-patch+json"), 200)
        #expect(second.allowAllUsersToCreatePats == true)
        #expect(second.maxTokenLifetimeDays == 30 && second.accessTokenTtlSeconds == 3600)
        let third = try ServiceSteps.decode(Schemas.Settings.self,
                                            try await patch(#"{"access_token_ttl_seconds": 120}"#, contentType: "application/merge-patch+json; charset=utf-8"), 200)
        #expect(third.maxTokenLifetimeDays == 30 && third.accessTokenTtlSeconds == 120)
        #expect(try await ServiceSteps.update(server, .init()) == third)
        #expect(try await current() == third)

        // null clears the lifetime limit and only it.
        let cleared = try ServiceSteps.decode(Schemas.Settings.self,
                                              try await patch(#"{"max_token_lifetime_days": null}"#, contentType: "application/merge-patch+json"), 200)
        #expect(cleared.maxTokenLifetimeDays == nil)
        #expect(cleared.allowAllUsersToCreatePats == true && cleared.accessTokenTtlSeconds == 120)
        let saved = try await current()

        // Refused patches change nothing (bodies the client cannot write, and both content types: raw).
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
        #expect(try await ServiceSteps.update(server, .init(maxTokenLifetimeDays: 3650, accessTokenTtlSeconds: 60)).accessTokenTtlSeconds == 60)
        #expect(try await ServiceSteps.update(server, .init(maxTokenLifetimeDays: 1, accessTokenTtlSeconds: 86400)).maxTokenLifetimeDays == 1)
    }

    @Test("Bodies: text/plain → 415, over 64 KiB → 413, malformed JSON → 400")
    func bodies() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let auth = ("Authorization", "Bearer \(server.adminSecret)")
        let before = try await client.call("GET", "/v1/settings", token: server.adminSecret).text

        let plain = try await client.send("PATCH", "/v1/settings", headers: [auth, ("Content-Type", "text/plain")],
                                          body: Array(#"{"allow_all_users_to_create_pats": true}"#.utf8))
        try plain.expectError(415, .unsupportedMediaType)
        let plainUser = try await client.send("POST", "/v1/users", headers: [auth, ("Content-Type", "text/plain")],
                                              body: Array(#"{"email": "a@example.com", "full_name": "A", "role": "MEMBER"}"#.utf8))
        try plainUser.expectError(415, .unsupportedMediaType)

        let padding = String(repeating: "x", count: 70 * 1024)
        let large = try await client.call("PATCH", "/v1/settings", token: server.adminSecret,
                                          json: #"{"allow_all_users_to_create_pats": true, "pad": "\#(padding)"}"#)
        try large.expectError(413, .payloadTooLarge)
        let largeToken = try await client.call("POST", "/v1/tokens", token: server.adminSecret,
                                               json: ServiceSteps.json(["token_label": padding, "access_level": "READ_ONLY"]))
        try largeToken.expectError(413, .payloadTooLarge)
        // Just under the limit is read (and then refused for what it says).
        let under = String(repeating: "y", count: 60 * 1024)
        try ServiceSteps.expectValidation(try await client.call("POST", "/v1/tokens", token: server.adminSecret,
                                                            json: ServiceSteps.json(["token_label": under, "access_level": "READ_ONLY"])), fields: ["token_label"])

        for malformed in [#"{"allow_all_users_to_create_pats": tru}"#, "{", #"{"a": 1,}"#, "[1, 2", "\u{FF}"] {
            let response = try await client.call("PATCH", "/v1/settings", token: server.adminSecret, json: malformed)
            try response.expectError(400, .validationError)
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
