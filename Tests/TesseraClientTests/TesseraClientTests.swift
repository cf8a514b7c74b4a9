import APIClient
import APIRuntime
import Foundation
import TesseraClient
import Testing

/// The generated `TesseraClient` against the real `tessera` server over
/// loopback HTTP: the main flows, each answer decoded and validated.
@Suite struct TesseraClientRoundTripTests {
    func client(_ server: TesseraServer, secret: String?) -> Client {
        Client(transport: URLSessionTransport(baseURL: server.root), credentials: ClientCredentials(secret.map { ["BearerAuth": $0] } ?? [:]))
    }

    @Test func mainFlows() async throws {
        let server = try await TesseraServer()
        let admin = client(server, secret: server.adminSecret)

        guard case .ok(let health) = try await admin.getHealth() else { Issue.record("getHealth"); return }
        #expect(health.status.rawValue == "ok")
        guard case .ok(let document, contentType: let documentType) = try await admin.getOpenAPIDocument() else { Issue.record("getOpenAPIDocument"); return }
        #expect(String(decoding: document, as: UTF8.self).hasPrefix("openapi:"))
        #expect(documentType.contains("yaml"))

        guard case .ok(let me) = try await admin.getSelf() else { Issue.record("getSelf"); return }
        #expect(me.identity.role == .admin)

        // Users.
        guard case .created(let ada) = try await admin.createUser(.init(body: Schemas.CreateUserRequest(email: "ada@example.com", fullName: "Ada Lovelace", role: .member))) else {
            Issue.record("createUser"); return
        }
        guard case .conflict(let taken) = try await admin.createUser(.init(body: Schemas.CreateUserRequest(email: "ADA@example.com", fullName: "Ada", role: .member))) else {
            Issue.record("createUser accepted a taken email"); return
        }
        #expect(taken.error.rawValue == "conflict")
        guard case .ok(let users) = try await admin.getUsers() else { Issue.record("getUsers"); return }
        #expect(users.results.map(\.email).contains("ada@example.com"))
        guard case .ok(let found) = try await admin.user(.init(email: "ada@example.com")) else { Issue.record("user"); return }
        #expect(found.userID == ada.userID)

        // Tokens: create, list, get, relabel, regenerate, delete.
        guard case .created(let created) = try await admin.createToken(.init(body: Schemas.CreateTokenRequest(tokenLabel: "deploy", accessLevel: .fullAccess))) else {
            Issue.record("createToken"); return
        }
        #expect(created.secret.hasPrefix("tsp_"))
        let tokenID = created.token.tokenID
        guard case .ok(let page) = try await admin.getTokens(.init(pageSize: 50, tokenIDs: [tokenID])) else { Issue.record("getTokens"); return }
        #expect(page.results.map(\.tokenID) == [tokenID])
        guard case .ok(let relabelled) = try await admin.updateToken(.init(tokenID: tokenID, body: Schemas.UpdateTokenRequest(tokenLabel: "deploy, renamed"))) else {
            Issue.record("updateToken"); return
        }
        #expect(relabelled.tokenLabel == "deploy, renamed")
        guard case .ok(let fetched) = try await admin.getToken(.init(tokenID: tokenID)) else { Issue.record("getToken"); return }
        #expect(fetched.tokenLabel == "deploy, renamed")
        guard case .ok = try await client(server, secret: created.secret).getSelf() else { Issue.record("the new secret was refused"); return }

        guard case .ok(let regenerated) = try await admin.regenerateToken(.init(tokenID: tokenID)) else { Issue.record("regenerateToken"); return }
        #expect(regenerated.token.tokenID == tokenID)
        guard case .unauthorized(let refused, headers: let headers) = try await client(server, secret: created.secret).getSelf() else {
            Issue.record("the replaced secret still works"); return
        }
        #expect(refused.error.rawValue == "unauthorized")
        #expect(headers.wwwAuthenticate?.hasPrefix("Bearer") == true)
        guard case .ok = try await admin.deleteToken(.init(tokenID: tokenID)) else { Issue.record("deleteToken"); return }
        guard case .notFound = try await admin.getToken(.init(tokenID: tokenID)) else { Issue.record("a deleted token was found"); return }

        // A service user's key, exchanged for an access token (no credentials on the exchange).
        guard case .created(let robot) = try await admin.createServiceUser(.init(body: Schemas.CreateServiceUserRequest(name: "ci-runner", role: .member))) else {
            Issue.record("createServiceUser"); return
        }
        guard case .created(let key) = try await admin.createToken(.init(body: Schemas.CreateTokenRequest(tokenLabel: "ci key", accessLevel: .fullAccess, userID: robot.userID))) else {
            Issue.record("createToken for a service user"); return
        }
        #expect(key.secret.hasPrefix("tss_"))
        guard case .ok(let access) = try await client(server, secret: nil).exchangeToken(.init(body: Schemas.ExchangeTokenRequest(apiKey: key.secret))) else {
            Issue.record("exchangeToken"); return
        }
        guard case .ok(let robotSelf) = try await client(server, secret: access.accessToken).getSelf() else { Issue.record("getSelf with an access token"); return }
        #expect(robotSelf.identity.userID == robot.userID)
        #expect(robotSelf.accessTokenExpiresAt != nil)
        guard case .ok(let fetchedRobot) = try await admin.getServiceUser(.init(userID: robot.userID)) else { Issue.record("getServiceUser"); return }
        #expect(fetchedRobot.name == "ci-runner")
        guard case .ok = try await admin.deleteServiceUser(.init(userID: robot.userID)) else { Issue.record("deleteServiceUser"); return }

        // Settings, as a merge patch.
        guard case .ok(let before) = try await admin.getSettings() else { Issue.record("getSettings"); return }
        guard case .ok(let after) = try await admin.updateSettings(.init(body: Schemas.SettingsPatch(allowAllUsersToCreatePats: !before.allowAllUsersToCreatePats, maxTokenLifetimeDays: .some(30)))) else {
            Issue.record("updateSettings"); return
        }
        #expect(after.allowAllUsersToCreatePats == !before.allowAllUsersToCreatePats)
        #expect(after.maxTokenLifetimeDays == 30)

        // Events: the trail of all that, and one of them by id.
        guard case .ok(let events) = try await admin.events(.init(pageSize: 5)) else { Issue.record("events"); return }
        let newest = try #require(events.results?.first)
        guard case .ok(let event) = try await admin.getEvent(.init(eventID: newest.eventID)) else { Issue.record("getEvent"); return }
        #expect(event.eventType == newest.eventType)

        guard case .ok(let deactivated) = try await admin.deactivateUser(.init(userID: ada.userID)) else { Issue.record("deactivateUser"); return }
        #expect(deactivated.deactivatedAt != nil)
    }

    /// The server's 400 for a value the client does not check itself
    /// (`page_size` below its minimum) is the typed `badRequest`, naming the field.
    @Test func validationErrorIsTyped() async throws {
        let server = try await TesseraServer()
        guard case .badRequest(let error) = try await client(server, secret: server.adminSecret).getTokens(.init(pageSize: 0)) else {
            Issue.record("page_size 0 was accepted"); return
        }
        #expect(error.error.rawValue == "validation_error")
        #expect(error.errors?.map(\.field) == ["page_size"])
    }

    /// No credentials at all: the documented 401, not a throw.
    @Test func missingCredentialsAreTheDocumented401() async throws {
        let server = try await TesseraServer()
        guard case .unauthorized = try await client(server, secret: nil).getSelf() else {
            Issue.record("getSelf without credentials was not a 401"); return
        }
    }
}

/// A transport that answers every request with one canned response.
struct CannedTransport: APIClientTransport {
    var response: ClientResponse
    func send(_ request: ClientRequest) async throws -> ClientResponse { response }
}

/// Answers that break Tessera's contract are refused by the client.
@Suite struct TesseraClientRefusalTests {
    private func client(_ status: Int, _ body: String) -> Client {
        Client(transport: CannedTransport(response: ClientResponse(status: status, headers: [("Content-Type", "application/json")], body: Array(body.utf8))))
    }

    @Test func schemaViolationNamesTheField() async throws {
        let body = #"{"token_id": "not-a-uuid", "created_at": "2026-12-04T22:30:00Z", "token_label": "x", "creator_user_id": "6f1c2c39-1111-4c1e-9d53-9a1f8f0c0001", "user_id": "6f1c2c39-1111-4c1e-9d53-9a1f8f0c0001", "access_level": "EVERYTHING", "token_preview": "abcde"}"#
        let error = try await #require(throws: APIClientError.self) {
            _ = try await client(200, body).getToken(.init(tokenID: UUID()))
        }
        #expect(error.kind == .invalidBody)
        #expect(error.operation == "getToken")
        #expect(error.status == 200)
        #expect(error.fieldErrors.map(\.field) == ["token_id", "access_level"])
        #expect(error.description.hasPrefix("getToken: the 200 response is invalid: token_id must be a UUID"))
    }

    @Test func undocumentedStatusThrows() async throws {
        let error = try await #require(throws: APIClientError.self) {
            _ = try await client(418, #"{"tea": true}"#).getSelf()
        }
        #expect(error.kind == .undocumentedStatus)
        #expect(error.description == #"getSelf: status 418 is not documented (body: {"tea": true})"#)
    }

    /// Credentials go in the header the scheme names and nowhere else; no
    /// printed form of them shows the secret.
    @Test func credentialsAreSentButNeverPrinted() async throws {
        let credentials = ClientCredentials(["BearerAuth": "tsp_secretsecret"])
        #expect("\(credentials)" == "ClientCredentials(BearerAuth: ***)")
        #expect(String(reflecting: credentials) == "ClientCredentials(BearerAuth: ***)")
        var dumped = ""
        dump(credentials, to: &dumped)
        #expect(!dumped.contains("secretsecret"))
        var request = ClientRequest(method: "GET", path: "/v1/self")
        credentials.authorize(&request, alternatives: [[.bearer(scheme: "BearerAuth")]])
        #expect(request.header("Authorization") == "Bearer tsp_secretsecret")
        #expect(!request.pathAndQuery.contains("secret"))
    }
}

/// What the client writes, checked without a server: a UUID list not
/// exploded (`token_ids=a,b`), defaults sent, a path parameter as one
/// segment, a merge patch's explicit null kept.
@Suite struct TesseraClientRequestTests {
    actor Recorder: APIClientTransport {
        private(set) var requests: [ClientRequest] = []
        func send(_ request: ClientRequest) async throws -> ClientResponse {
            requests.append(request)
            return ClientResponse(status: 418, headers: [], body: [])
        }
    }

    @Test func parametersAreWrittenAsTheRoutesReadThem() async throws {
        let recorder = Recorder()
        let client = Client(transport: recorder, credentials: ClientCredentials(["BearerAuth": "tsp_x"]))
        let first = UUID(uuidString: "6F1C2C39-1111-4C1E-9D53-9A1F8F0C0001")!, second = UUID(uuidString: "6f1c2c39-1111-4c1e-9d53-9a1f8f0c0002")!
        _ = try? await client.getTokens(.init(tokenIDs: [first, second], userID: second))
        _ = try? await client.getUsers(.init(cursor: "a+b/c", tagIDs: [first, second]))
        _ = try? await client.getEvent(.init(eventID: first))
        _ = try? await client.updateSettings(.init(body: Schemas.SettingsPatch(maxTokenLifetimeDays: .some(nil))))
        let requests = await recorder.requests
        #expect(requests.map(\.pathAndQuery) == [
            "/v1/tokens?page_size=200&token_ids=6f1c2c39-1111-4c1e-9d53-9a1f8f0c0001,6f1c2c39-1111-4c1e-9d53-9a1f8f0c0002&user_id=6f1c2c39-1111-4c1e-9d53-9a1f8f0c0002&newest_first=false",
            "/v1/users?cursor=a%2Bb/c&page_size=200&tag_ids=6f1c2c39-1111-4c1e-9d53-9a1f8f0c0001&tag_ids=6f1c2c39-1111-4c1e-9d53-9a1f8f0c0002",
            "/v1/events/6f1c2c39-1111-4c1e-9d53-9a1f8f0c0001",
            "/v1/settings",
        ])
        #expect(requests.allSatisfy { $0.header("Authorization") == "Bearer tsp_x" })
        #expect(requests.last.flatMap { $0.body.map { String(decoding: $0, as: UTF8.self) } } == #"{"max_token_lifetime_days":null}"#)
    }
}
