import APIRuntime
import Foundation
import HTTPTestClient
import TesseraClient
import TesseraCore
import Testing
import TestSupport

/// Every operation of openapi.yaml against every kind of credential, on a
/// real server: who gets the operation's success status, who a 401, a 403
/// or a 404, and that each error is the published body (with
/// `WWW-Authenticate` on a 401) and every response carries its
/// `X-Correlation-ID`. Also the order of the checks (route, authentication,
/// authorization, validation) and the case-insensitive schemes.
@Suite struct AuthorizationMatrixTests {
    @Test func everyOperationAgainstEveryCredential() async throws {
        let fixture = try await MatrixFixture.make(withExpired: true)
        defer { fixture.server.stop() }
        let rows = MatrixRow.all

        // The table covers the whole contract: a new operation must be added here.
        let spec = try String(contentsOf: Locations.packageRoot.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        let declared = Set(spec.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("operationId:") else { return nil }
            return trimmed.dropFirst("operationId:".count).trimmingCharacters(in: .whitespaces)
        })
        #expect(declared.count == 26, "\(declared.sorted())")
        #expect(Set(rows.map(\.operation)) == declared)

        for row in rows {
            // The callers of a row are independent of each other: ask at
            // once, except where they change one shared row (concurrent
            // regenerations of one token rightly conflict).
            var answers: [MatrixCaller: (String, LoopbackResponse)] = [:]
            if row.sequential {
                for caller in MatrixCaller.allCases {
                    let path = try await row.path(fixture)
                    answers[caller] = (path, try await fixture.send(row.method, path, as: caller, json: row.body?(fixture)))
                }
            } else {
                answers = try await withThrowingTaskGroup(of: (MatrixCaller, String, LoopbackResponse).self) { group in
                    for caller in MatrixCaller.allCases {
                        group.addTask {
                            let path = try await row.path(fixture)
                            return (caller, path, try await fixture.send(row.method, path, as: caller, json: row.body?(fixture)))
                        }
                    }
                    return try await group.reduce(into: [:]) { $0[$1.0] = ($1.1, $1.2) }
                }
            }
            for caller in MatrixCaller.allCases {
                let (path, response) = try #require(answers[caller])
                let expected = row.expected(for: caller)
                let label = "\(row.method) \(path) (\(row.operation)) as \(caller)"
                try matrixCheck(response, expected, method: row.method, label, challenge: row.challenge, unauthorized: row.unauthorized)
                if expected < 400, response.status == expected, let verify = row.verify {
                    try verify(response, caller, fixture)
                }
            }
        }

        // No row broke a credential another row relies on.
        for caller in MatrixCaller.allCases {
            let response = try await fixture.send("GET", "/v1/self", as: caller)
            #expect(response.status == (caller.isValid ? 200 : 401), "GET /v1/self as \(caller) after the matrix: \(response.status)")
        }
    }

    @Test func unknownPathsAndWrongMethodsWhateverTheCredentials() async throws {
        let fixture = try await MatrixFixture.make(withExpired: false)
        defer { fixture.server.stop() }
        let token = "/v1/tokens/\(fixture.adminTokenID.path)"
        let unknown: [(String, String)] = [
            ("GET", "/v1/nope"),
            ("GET", "/v1"),
            ("GET", "/v1/tokens/\(fixture.adminTokenID.path)/nope"),
            ("GET", "/tokens"),
            ("GET", "/healthz"),
            ("GET", "/v2/self"),
            ("POST", "/v1/unknown"),
            ("DELETE", "/v1/tokens/\(fixture.adminTokenID.path)/regenerate/again"),
        ]
        let wrongMethod: [(String, String, Set<String>)] = [
            ("PUT", "/v1/tokens", ["GET", "HEAD", "POST"]),
            ("DELETE", "/v1/tokens", ["GET", "HEAD", "POST"]),
            ("PUT", token, ["DELETE", "GET", "HEAD", "PATCH"]),
            ("POST", token, ["DELETE", "GET", "HEAD", "PATCH"]),
            ("GET", token + "/regenerate", ["POST"]),
            ("DELETE", "/v1/self", ["GET", "HEAD"]),
            ("POST", "/v1/healthz", ["GET", "HEAD"]),
            ("PATCH", "/v1/users", ["GET", "HEAD", "POST"]),
            ("GET", "/v1/users/\(fixture.memberID.path)", ["DELETE"]),
            ("GET", "/v1/auth/token", ["POST"]),
            ("DELETE", "/v1/settings", ["GET", "HEAD", "PATCH"]),
            ("POST", "/v1/events", ["GET", "HEAD"]),
            // A concrete path wins over a template (OpenAPI's rule): these
            // are `/tokens/revoke`'s methods, not `/tokens/{token_id}`'s.
            ("PATCH", "/v1/tokens/revoke", ["POST"]),
            ("GET", "/v1/tokens/revoke", ["POST"]),
            ("DELETE", "/v1/tokens/revoke", ["POST"]),
        ]
        let callers: [MatrixCaller] = [.none, .bearerGarbage, .wrongChecksum, .basicScheme, .unknownPersonal, .adminFull, .adminReadOnly, .memberReadOnly]
        // One task per caller, its requests in turn.
        let requests = unknown + wrongMethod.map { ($0.0, $0.1) }
        let answers = try await withThrowingTaskGroup(of: [String: LoopbackResponse].self) { group in
            for caller in callers {
                group.addTask {
                    var answers: [String: LoopbackResponse] = [:]
                    for (method, path) in requests {
                        answers["\(method) \(path) as \(caller)"] = try await fixture.send(method, path, as: caller, json: method == "GET" ? nil : "{}")
                    }
                    return answers
                }
            }
            return try await group.reduce(into: [:]) { $0.merge($1) { first, _ in first } }
        }
        for caller in callers {
            for (method, path) in unknown {
                let label = "\(method) \(path) as \(caller)"
                let response = try #require(answers[label])
                #expect(response.status == 404, "\(label): \(response.status) \(response.text)")
                try response.expectError(404, .notFound)
                #expect(response.header("WWW-Authenticate") == nil, "\(label)")
            }
            for (method, path, allowed) in wrongMethod {
                let label = "\(method) \(path) as \(caller)"
                let response = try #require(answers[label])
                #expect(response.status == 405, "\(label): \(response.status) \(response.text)")
                try response.expectError(405, .methodNotAllowed)
                let allow = response.header("Allow").map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
                #expect(allow == allowed, "\(label): Allow \(response.header("Allow") ?? "absent")")
            }
        }
    }

    /// Route, then authentication (401), then authorization (403), then
    /// validation (400): an invalid request is judged on its credentials first.
    @Test func checksRunInOrder() async throws {
        let fixture = try await MatrixFixture.make(withExpired: false)
        defer { fixture.server.stop() }
        struct Case {
            var method: String
            var path: String
            var body: String?
            /// The field the 400 names (nil: any validation_error).
            var field: String?
            /// Who gets what, in this order of callers.
            var outcomes: [(MatrixCaller, Int)]
        }
        let invalidToken = #"{"access_level":"READ_ONLY","token_label":7}"#
        let cases = [
            Case(method: "POST", path: "/v1/tokens", body: invalidToken, field: "token_label",
                 outcomes: [(.none, 401), (.bearerGarbage, 401), (.unknownPersonal, 401), (.deleted, 401),
                            (.memberReadOnly, 403), (.adminReadOnly, 403), (.adminFull, 400)]),
            Case(method: "POST", path: "/v1/tokens", body: #"{"access_level":"READ_ONLY"}"#, field: "token_label",
                 outcomes: [(.none, 401), (.adminReadOnly, 403), (.adminFull, 400)]),
            Case(method: "POST", path: "/v1/tokens", body: #"{"token_label":"x","access_level":"SUPERUSER"}"#, field: "access_level",
                 outcomes: [(.none, 401), (.memberReadOnly, 403), (.adminFull, 400)]),
            Case(method: "POST", path: "/v1/tokens", body: "{this is not json", field: nil,
                 outcomes: [(.none, 401), (.wrongChecksum, 401), (.memberReadOnly, 403), (.adminFull, 400)]),
            Case(method: "POST", path: "/v1/users", body: #"{"email":"a@b.c","full_name":"A","role":"ROOT"}"#, field: "role",
                 outcomes: [(.none, 401), (.memberFull, 403), (.adminReadOnly, 403), (.adminFull, 400)]),
            Case(method: "PATCH", path: "/v1/settings", body: #"{"access_token_ttl_seconds":5}"#, field: "access_token_ttl_seconds",
                 outcomes: [(.none, 401), (.basicScheme, 401), (.memberFull, 403), (.adminReadOnly, 403), (.adminFull, 400)]),
            Case(method: "GET", path: "/v1/tokens?page_size=0", body: nil, field: "page_size",
                 outcomes: [(.none, 401), (.memberFull, 403), (.adminReadOnly, 400), (.adminFull, 400)]),
            Case(method: "GET", path: "/v1/tokens/not-a-uuid", body: nil, field: "token_id",
                 outcomes: [(.none, 401), (.unknownPersonal, 401), (.memberReadOnly, 400), (.adminFull, 400)]),
            Case(method: "DELETE", path: "/v1/users/not-a-uuid", body: nil, field: "user_id",
                 outcomes: [(.none, 401), (.memberFull, 403), (.adminReadOnly, 403), (.adminFull, 400)]),
            Case(method: "PATCH", path: "/v1/tokens/not-a-uuid", body: #"{"token_label":""}"#, field: nil,
                 outcomes: [(.none, 401), (.memberReadOnly, 403), (.memberFull, 400)]),
        ]
        for item in cases {
            for (caller, expected) in item.outcomes {
                let response = try await fixture.send(item.method, item.path, as: caller, json: item.body)
                let label = "\(item.method) \(item.path) \(item.body ?? "") as \(caller)"
                try matrixCheck(response, expected, method: item.method, label)
                if expected == 400, let field = item.field {
                    let errors = try ServiceSteps.decode(Schemas.Error.self, response, 400).errors ?? []
                    #expect(errors.contains { $0.field == field }, "\(label) should name \(field): \(response.text)")
                }
            }
        }
    }

    @Test func schemesAreCaseInsensitive() async throws {
        let fixture = try await MatrixFixture.make(withExpired: false)
        defer { fixture.server.stop() }
        let admin = fixture.server.adminSecret
        let member = try #require(fixture.secrets[.memberReadOnly])
        for scheme in ["Bearer", "bearer", "BEARER", "bEaReR", "token", "Token", "TOKEN"] {
            let read = try await fixture.client.send("GET", "/v1/self", headers: [("Authorization", "\(scheme) \(admin)")])
            try matrixCheck(read, 200, method: "GET", "GET /v1/self with scheme \(scheme)")
            let write = try await fixture.client.send(
                "POST", "/v1/tokens",
                headers: [("Authorization", "\(scheme) \(admin)"), ("Content-Type", "application/json")],
                body: Array(#"{"token_label":"scheme \#(scheme)","access_level":"READ_ONLY"}"#.utf8)
            )
            try matrixCheck(write, 201, method: "POST", "POST /v1/tokens with scheme \(scheme)")
            let readOnly = try await fixture.client.send("GET", "/v1/users", headers: [("Authorization", "\(scheme) \(member)")])
            try matrixCheck(readOnly, 200, method: "GET", "GET /v1/users as a read-only member with scheme \(scheme)")
        }
        // Not a scheme at all, or glued to the secret.
        for header in ["Bearer:\(admin)", "Bearer\(admin)", "Bearer: \(admin)", "Bearerx \(admin)", "tokens \(admin)", "Basic \(admin)", admin] {
            let response = try await fixture.client.send("GET", "/v1/self", headers: [("Authorization", header)])
            try matrixCheck(response, 401, method: "GET", "GET /v1/self with Authorization: \(header.prefix(12))…")
        }
    }
}

// MARK: - The callers

/// One kind of credential a request may carry.
private enum MatrixCaller: String, CaseIterable, CustomStringConvertible {
    /// No Authorization header.
    case none
    /// `Bearer abc`.
    case bearerGarbage
    /// A real member secret with its last character changed (checksum fails).
    case wrongChecksum
    /// `Basic x`.
    case basicScheme
    /// A real admin secret without a scheme.
    case secretWithoutScheme
    /// Well-formed with a valid checksum, never issued.
    case unknownPersonal
    case unknownAccess
    /// A token whose `expires_at` has passed.
    case expired
    /// A deleted token.
    case deleted
    /// The secret a regeneration replaced.
    case regeneratedAway
    /// A token of a deactivated user.
    case deactivatedOwner
    /// A key of a deleted service user.
    case deletedServiceUser
    case adminFull
    case adminReadOnly
    case memberFull
    case memberReadOnly
    /// A FULL_ACCESS key of a service user with role ADMIN.
    case serviceAdmin
    /// A FULL_ACCESS key of a service user with role MEMBER.
    case serviceMember
    /// An access token exchanged from an admin's FULL_ACCESS key.
    case accessOfAdminFull
    /// An access token exchanged from a member's READ_ONLY key.
    case accessOfMemberReadOnly

    var description: String { rawValue }

    var isValid: Bool {
        switch self {
        case .adminFull, .adminReadOnly, .memberFull, .memberReadOnly, .serviceAdmin, .serviceMember, .accessOfAdminFull, .accessOfMemberReadOnly: true
        default: false
        }
    }

    var isAdmin: Bool { [.adminFull, .adminReadOnly, .serviceAdmin, .accessOfAdminFull].contains(self) }
    var isReadOnly: Bool { [.adminReadOnly, .memberReadOnly, .accessOfMemberReadOnly].contains(self) }
    var isServiceUser: Bool { self == .serviceAdmin || self == .serviceMember }
    var isAccessToken: Bool { self == .accessOfAdminFull || self == .accessOfMemberReadOnly }
}

// MARK: - The fixture

/// A server with one credential of each kind and the objects the rows name.
private struct MatrixFixture: Sendable {
    let server: TesseraProcess
    /// The Authorization header of each caller (none for `.none`).
    let authorization: [MatrixCaller: String]
    /// The secrets of the valid callers.
    let secrets: [MatrixCaller: String]
    let memberID: UUID
    let serviceMemberID: UUID
    /// A token of the member that no row deletes.
    let memberTokenID: UUID
    /// A token of the admin that no row deletes.
    let adminTokenID: UUID
    /// An admin key only ever sent in `POST /auth/token` bodies.
    let exchangeKey: String
    let eventID: UUID

    var client: LoopbackClient { server.client }

    func send(_ method: String, _ path: String, as caller: MatrixCaller, json: String? = nil) async throws -> LoopbackResponse {
        var headers: [(String, String)] = []
        if let value = authorization[caller] { headers.append(("Authorization", value)) }
        guard let json else { return try await client.send(method, path, headers: headers) }
        headers.append(("Content-Type", "application/json"))
        return try await client.send(method, path, headers: headers, body: Array(json.utf8))
    }

    static func make(withExpired: Bool) async throws -> MatrixFixture {
        let server = try await TesseraProcess.start()
        let admin = server.adminAPI
        var authorization: [MatrixCaller: String] = [:]
        var secrets: [MatrixCaller: String] = [:]
        func issue(_ label: String, level: Schemas.ApiAccessLevelEnum = .fullAccess, for userID: UUID? = nil) async throws -> Schemas.CreatedToken {
            try await ServiceSteps.newToken(server, label: label, level: level, userID: userID)
        }

        // First, so that its time runs out while the rest is built.
        var expiring: (secret: String, expiresAt: Date)?
        if withExpired {
            let expiresAt = Date().addingTimeInterval(3)
            let token = try await ServiceSteps.newToken(server, label: "expiring", expiresAt: expiresAt)
            // It works until then. On a loaded machine the answer may only
            // come after its expiry: then 401 is right.
            let first = try await server.api(token.secret).getSelf()
            switch first {
            case .ok: break
            case .unauthorized where Date() >= expiresAt: break
            default: throw Unexpected(first, "200 before its expiry")
            }
            expiring = (token.secret, expiresAt)
        }

        let memberID = try await ServiceSteps.newUser(server, role: .member)
        let serviceAdminID = try await ServiceSteps.newServiceUser(server, role: .admin)
        let serviceMemberID = try await ServiceSteps.newServiceUser(server, role: .member)

        secrets[.adminFull] = server.adminSecret
        secrets[.adminReadOnly] = try await issue("admin read-only", level: .readOnly).secret
        secrets[.memberFull] = try await issue("member full", for: memberID).secret
        secrets[.memberReadOnly] = try await issue("member read-only", level: .readOnly, for: memberID).secret
        secrets[.serviceAdmin] = try await issue("service admin", for: serviceAdminID).secret
        secrets[.serviceMember] = try await issue("service member", for: serviceMemberID).secret
        let parent = try await issue("exchange parent")
        secrets[.accessOfAdminFull] = try await ServiceSteps.accessToken(server, parent.secret).accessToken
        secrets[.accessOfMemberReadOnly] = try await ServiceSteps.accessToken(server, secrets[.memberReadOnly]!).accessToken
        for (caller, secret) in secrets {
            authorization[caller] = "Bearer \(secret)"
            #expect(secret.hasPrefix(caller.isAccessToken ? "tsa_" : caller.isServiceUser ? "tss_" : "tsp_"), "\(caller)")
        }

        // Credentials that worked once and were then taken away.
        let deleted = try await issue("to delete", for: memberID)
        _ = try await ServiceSteps.me(server, deleted.secret)
        let deletion = try await admin.deleteToken(.init(tokenID: deleted.token.tokenID))
        guard case .ok = deletion else { throw Unexpected(deletion, "200") }
        authorization[.deleted] = "Bearer \(deleted.secret)"

        let rotated = try await issue("to regenerate", for: memberID)
        _ = try await ServiceSteps.me(server, rotated.secret)
        let regeneration = try await admin.regenerateToken(.init(tokenID: rotated.token.tokenID))
        guard case .ok = regeneration else { throw Unexpected(regeneration, "200") }
        authorization[.regeneratedAway] = "Bearer \(rotated.secret)"

        let leaverID = try await ServiceSteps.newUser(server, role: .member)
        let leaver = try await issue("leaver", for: leaverID)
        _ = try await ServiceSteps.me(server, leaver.secret)
        let deactivation = try await admin.deactivateUser(.init(userID: leaverID))
        guard case .ok = deactivation else { throw Unexpected(deactivation, "200") }
        authorization[.deactivatedOwner] = "Bearer \(leaver.secret)"

        let robotID = try await ServiceSteps.newServiceUser(server, role: .admin)
        let robot = try await issue("robot", for: robotID)
        _ = try await ServiceSteps.me(server, robot.secret)
        let removal = try await admin.deleteServiceUser(.init(userID: robotID))
        guard case .ok = removal else { throw Unexpected(removal, "200") }
        authorization[.deletedServiceUser] = "Bearer \(robot.secret)"

        // Credentials that never worked.
        let member = secrets[.memberFull]!
        let last = member.last!
        authorization[.wrongChecksum] = "Bearer \(member.dropLast())\(last == "A" ? "B" : "A")"
        authorization[.bearerGarbage] = "Bearer abc"
        authorization[.basicScheme] = "Basic x"
        authorization[.secretWithoutScheme] = server.adminSecret
        authorization[.unknownPersonal] = "Bearer \(TokenSecret.generate(.personal).text)"
        authorization[.unknownAccess] = "Bearer \(TokenSecret.generate(.access).text)"

        // What the rows name.
        let memberToken = try await issue("member target", for: memberID)
        let adminToken = try await issue("admin target")
        let exchangeKey = try await issue("exchange body").secret
        let events = try await admin.events(.init(pageSize: 1))
        guard case .ok(let eventPage) = events else { throw Unexpected(events, "200") }
        let event = try #require(eventPage.results?.first?.eventID)

        if let expiring {
            // Bounded poll: the token must stop at its expires_at.
            try #require(try await ServiceSteps.waitUntilRefused(server, expiring.secret, deadline: expiring.expiresAt.addingTimeInterval(10)),
                         "an expired token still authenticates")
            #expect(Date() >= expiring.expiresAt.addingTimeInterval(-0.01), "refused before its expires_at")
            authorization[.expired] = "Bearer \(expiring.secret)"
        } else {
            authorization[.expired] = authorization[.deleted]
        }

        return MatrixFixture(
            server: server, authorization: authorization, secrets: secrets, memberID: memberID,
            serviceMemberID: serviceMemberID, memberTokenID: memberToken.token.tokenID, adminTokenID: adminToken.token.tokenID,
            exchangeKey: exchangeKey, eventID: event
        )
    }
}

// MARK: - The rows

/// One operation (and the object it names) with its expected outcome for
/// every caller. Derived from the rules: an anonymous operation answers
/// everyone alike; otherwise an invalid credential is a 401, a READ_ONLY
/// token on anything but GET/HEAD a 403, a non-admin on an admin operation
/// a 403; `overrides` holds the data-dependent outcomes (not the caller's
/// token: 404; a setting forbids it: 403).
private struct MatrixRow: Sendable {
    var operation: String
    var method: String
    var path: @Sendable (MatrixFixture) async throws -> String
    var body: (@Sendable (MatrixFixture) -> String)?
    var success: Int
    var anonymous = false
    var admin = false
    /// The operation manages API tokens (the `credentials` scope): never
    /// with an exchanged access token or a member service user's key.
    var credentials = false
    /// Callers one at a time: each success changes the row they share.
    var sequential = false
    var overrides: [MatrixCaller: Int] = [:]
    /// What a 401 of this operation says: its `WWW-Authenticate` challenge
    /// and message (a bad credential's, unless the operation has its own).
    var challenge = #"Bearer error="invalid_token""#
    var unauthorized = "Invalid or expired authentication token"
    var verify: (@Sendable (LoopbackResponse, MatrixCaller, MatrixFixture) throws -> Void)?

    func expected(for caller: MatrixCaller) -> Int {
        if anonymous { return success }
        guard caller.isValid else { return 401 }
        if method != "GET", method != "HEAD", caller.isReadOnly { return 403 }
        if admin, !caller.isAdmin { return 403 }
        if credentials, caller.isAccessToken || caller == .serviceMember { return 403 }
        return overrides[caller] ?? success
    }

    /// Non-admin callers for whom an admin's token does not exist.
    static let notTheirs: [MatrixCaller: Int] = [.memberFull: 404, .memberReadOnly: 404, .serviceMember: 404, .accessOfMemberReadOnly: 404]
    /// Non-admin callers for whom the member's token does not exist.
    static let notMember: [MatrixCaller: Int] = [.serviceMember: 404]

    static var all: [MatrixRow] {
        [
            MatrixRow(operation: "getHealth", method: "GET", path: { _ in "/v1/healthz" }, success: 200, anonymous: true),
            MatrixRow(operation: "getHealth", method: "HEAD", path: { _ in "/v1/healthz" }, success: 200, anonymous: true),
            MatrixRow(operation: "getReadiness", method: "GET", path: { _ in "/v1/readyz" }, success: 200, anonymous: true),
            MatrixRow(operation: "getReadiness", method: "HEAD", path: { _ in "/v1/readyz" }, success: 200, anonymous: true),
            MatrixRow(operation: "getMetrics", method: "GET", path: { _ in "/v1/metrics" }, success: 200, anonymous: true,
                      verify: { response, _, _ in #expect(response.text.contains("tessera_http_requests_total")) }),
            MatrixRow(operation: "getOpenAPIDocument", method: "GET", path: { _ in "/v1/openapi.yaml" }, success: 200, anonymous: true,
                      verify: { response, _, _ in #expect(response.text.hasPrefix("openapi: 3.1")) }),

            MatrixRow(operation: "getTokens", method: "GET", path: { _ in "/v1/tokens" }, success: 200, admin: true),
            MatrixRow(operation: "getTokens", method: "HEAD", path: { _ in "/v1/tokens" }, success: 200, admin: true),
            // For another user: admins only (the member's full token lacks the role).
            MatrixRow(operation: "createToken", method: "POST", path: { _ in "/v1/tokens" },
                      body: { #"{"token_label":"matrix","access_level":"READ_ONLY","user_id":"\#($0.memberID.path)"}"# },
                      success: 201, credentials: true, overrides: [.memberFull: 403],
                      verify: { response, _, fixture in
                          let created = try ServiceSteps.decode(Schemas.CreatedToken.self, response, 201)
                          #expect(created.token.userID == fixture.memberID)
                          #expect(created.secret.hasPrefix("tsp_"))
                      }),
            // For oneself: members may not while allow_all_users_to_create_pats
            // is off; a service user never (admins issue its keys).
            MatrixRow(operation: "createToken", method: "POST", path: { _ in "/v1/tokens" },
                      body: { _ in #"{"token_label":"matrix self","access_level":"READ_ONLY"}"# },
                      success: 201, credentials: true, overrides: [.memberFull: 403, .serviceAdmin: 403]),

            MatrixRow(operation: "getToken", method: "GET", path: { "/v1/tokens/\($0.memberTokenID.path)" }, success: 200, overrides: notMember,
                      verify: { response, _, fixture in try #expect(ServiceSteps.decode(Schemas.Token.self, response, 200).tokenID == fixture.memberTokenID) }),
            MatrixRow(operation: "getToken", method: "HEAD", path: { "/v1/tokens/\($0.memberTokenID.path)" }, success: 200, overrides: notMember),
            MatrixRow(operation: "getToken", method: "GET", path: { "/v1/tokens/\($0.adminTokenID.path)" }, success: 200, overrides: notTheirs),
            MatrixRow(operation: "updateToken", method: "PATCH", path: { "/v1/tokens/\($0.memberTokenID.path)" },
                      body: { _ in #"{"token_label":"member target, renamed"}"# }, success: 200, credentials: true, overrides: notMember,
                      verify: { response, _, _ in
                          try #expect(ServiceSteps.decode(Schemas.Token.self, response, 200).tokenLabel == "member target, renamed")
                      }),
            MatrixRow(operation: "updateToken", method: "PATCH", path: { "/v1/tokens/\($0.adminTokenID.path)" },
                      body: { _ in #"{"token_label":"admin target, renamed"}"# }, success: 200, credentials: true, overrides: notTheirs),
            // A fresh token per request: each successful call deletes it.
            MatrixRow(operation: "deleteToken", method: "DELETE",
                      path: { fixture in
                          let doomed = try await ServiceSteps.newToken(fixture.server, label: "doomed", userID: fixture.memberID)
                          return "/v1/tokens/\(doomed.token.tokenID.path)"
                      },
                      success: 200, credentials: true, overrides: [.memberFull: 403]),
            MatrixRow(operation: "deleteToken", method: "DELETE",
                      path: { fixture in
                          let doomed = try await ServiceSteps.newToken(fixture.server, label: "doomed")
                          return "/v1/tokens/\(doomed.token.tokenID.path)"
                      },
                      success: 200, credentials: true, overrides: notTheirs),
            // Owners may always rotate their own tokens.
            MatrixRow(operation: "regenerateToken", method: "POST", path: { "/v1/tokens/\($0.memberTokenID.path)/regenerate" },
                      success: 200, credentials: true, sequential: true, overrides: notMember,
                      verify: { response, _, fixture in
                          let regenerated = try ServiceSteps.decode(Schemas.CreatedToken.self, response, 200)
                          #expect(regenerated.token.tokenID == fixture.memberTokenID)
                          #expect(regenerated.secret.hasPrefix("tsp_"))
                      }),
            MatrixRow(operation: "regenerateToken", method: "POST", path: { "/v1/tokens/\($0.adminTokenID.path)/regenerate" },
                      success: 200, credentials: true, sequential: true, overrides: notTheirs),

            MatrixRow(operation: "getSelf", method: "GET", path: { _ in "/v1/self" }, success: 200, verify: verifySelf),
            MatrixRow(operation: "getSelf", method: "HEAD", path: { _ in "/v1/self" }, success: 200),

            MatrixRow(operation: "getUsers", method: "GET", path: { _ in "/v1/users" }, success: 200),
            MatrixRow(operation: "createUser", method: "POST", path: { _ in "/v1/users" },
                      body: { _ in #"{"email":"m-\#(UUID().uuidString.lowercased())@example.com","full_name":"Matrix Person","role":"MEMBER"}"# },
                      success: 201, admin: true),
            MatrixRow(operation: "user", method: "GET", path: { "/v1/user?user_id=\($0.memberID.path)" }, success: 200,
                      verify: { response, _, fixture in try #expect(ServiceSteps.decode(Schemas.User.self, response, 200).userID == fixture.memberID) }),
            MatrixRow(operation: "deactivateUser", method: "DELETE",
                      path: { fixture in "/v1/users/\(try await ServiceSteps.newUser(fixture.server, role: .member).path)" },
                      success: 200, admin: true,
                      verify: { response, _, _ in
                          let user = try ServiceSteps.decode(Schemas.User.self, response, 200)
                          #expect(user.deactivatedAt ?? nil != nil, "\(user)")
                      }),

            MatrixRow(operation: "getServiceUsers", method: "GET", path: { _ in "/v1/service-users" }, success: 200, admin: true),
            MatrixRow(operation: "createServiceUser", method: "POST", path: { _ in "/v1/service-users" },
                      body: { _ in #"{"name":"matrix robot","role":"MEMBER"}"# }, success: 201, admin: true),
            MatrixRow(operation: "getServiceUser", method: "GET", path: { "/v1/service-users/\($0.serviceMemberID.path)" }, success: 200, admin: true),
            MatrixRow(operation: "deleteServiceUser", method: "DELETE",
                      path: { fixture in "/v1/service-users/\(try await ServiceSteps.newServiceUser(fixture.server, role: .member).path)" },
                      success: 200, admin: true),

            MatrixRow(operation: "getSettings", method: "GET", path: { _ in "/v1/settings" }, success: 200),
            MatrixRow(operation: "updateSettings", method: "PATCH", path: { _ in "/v1/settings" },
                      body: { _ in #"{"access_token_ttl_seconds":3600}"# }, success: 200, admin: true),

            // No credentials needed; an Authorization header is ignored.
            MatrixRow(operation: "exchangeToken", method: "POST", path: { _ in "/v1/auth/token" },
                      body: { #"{"api_key":"\#($0.exchangeKey)"}"# }, success: 200, anonymous: true,
                      verify: { response, _, _ in try #expect(ServiceSteps.decode(Schemas.AccessToken.self, response, 200).accessToken.hasPrefix("tsa_")) }),

            // Open to anyone holding a secret; the answer never depends on the caller.
            MatrixRow(operation: "revokeSecret", method: "POST", path: { _ in "/v1/tokens/revoke" },
                      body: { _ in #"{"secret":"tsp_0000000000000000000000000000000000000000"}"# }, success: 200, anonymous: true),
            // Only a GitHub signature authorizes a report; no server here has GitHub's keys.
            MatrixRow(operation: "reportLeakedSecrets", method: "POST", path: { _ in "/v1/secret-scanning/github" },
                      body: { _ in "[]" }, success: 401, anonymous: true, challenge: #"Github-Public-Key-Signature realm="secret-scanning""#,
                      unauthorized: "The report is refused: it needs Github-Public-Key-Identifier and Github-Public-Key-Signature; nothing was revoked."),

            MatrixRow(operation: "events", method: "GET", path: { _ in "/v1/events" }, success: 200, admin: true),
            MatrixRow(operation: "getEvent", method: "GET", path: { "/v1/events/\($0.eventID.path)" }, success: 200, admin: true),
        ]
    }

    /// `GET /self` answers as the credential's owner and key.
    static let verifySelf: @Sendable (LoopbackResponse, MatrixCaller, MatrixFixture) throws -> Void = { response, caller, _ in
        let me = try ServiceSteps.decode(Schemas.SelfResponse.self, response, 200)
        #expect(me.identity.role == (caller.isAdmin ? .admin : .member), "\(caller): \(response.text)")
        #expect(me.identity.type == (caller.isServiceUser ? .serviceUser : .user), "\(caller)")
        #expect(me.token.accessLevel == (caller.isReadOnly ? .readOnly : .fullAccess), "\(caller)")
        #expect((me.accessTokenExpiresAt != nil) == caller.isAccessToken, "\(caller)")
        #expect(!response.text.contains("tsp_") && !response.text.contains("tss_") && !response.text.contains("tsa_"), "\(caller)")
    }
}

// MARK: - Checks and calls

/// The status, `X-Correlation-ID` on every response, and for errors the
/// published body (exactly its keys) and, on a 401, the challenge.
private func matrixCheck(_ response: LoopbackResponse, _ expected: Int, method: String, _ label: String,
                         challenge: String = #"Bearer error="invalid_token""#, unauthorized: String = "Invalid or expired authentication token",
                         sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(response.status == expected, "\(label): got \(response.status) \(response.text.prefix(300))", sourceLocation: sourceLocation)
    let id = response.header("X-Correlation-ID") ?? ""
    #expect(id.count == 32 && id.allSatisfy({ $0.isHexDigit && !$0.isUppercase }), "\(label): X-Correlation-ID \(id)", sourceLocation: sourceLocation)
    if response.status == 401 {
        #expect(response.header("WWW-Authenticate") == challenge, "\(label)", sourceLocation: sourceLocation)
    }
    guard response.status == expected, expected >= 400 else { return }
    if method == "HEAD" {
        #expect(response.text.isEmpty, "\(label): a HEAD response has no body", sourceLocation: sourceLocation)
        return
    }
    let error = try response.expectError(expected, ServiceSteps.errorCode(expected), sourceLocation: sourceLocation)
    // Exactly the published keys: read from the bytes, as a decoder ignores unknown ones.
    let body = try response.object
    let keys = Set(body.keys)
    if expected == 400 {
        #expect(keys.isSubset(of: ["error", "message", "correlationId", "errors"]), "\(label): \(response.text)", sourceLocation: sourceLocation)
    } else {
        #expect(keys == ["error", "message", "correlationId"], "\(label): \(response.text)", sourceLocation: sourceLocation)
    }
    if expected == 401 {
        #expect(error.message == unauthorized, "\(label)", sourceLocation: sourceLocation)
    }
}

extension UUID {
    /// As a path or JSON text has it: lowercase.
    fileprivate var path: String { uuidString.lowercased() }
}
