import APIClient
import APIRuntime
import Foundation
import HTTPTestClient
import TesseraClient
import Testing

/// The steps tests take against a running Tessera through its HTTP API, as
/// its bootstrap admin, and the checks of its answers; shared by the token,
/// pagination, events, users/settings and other suites.
enum ServiceSteps {
    /// The body as an object after checking the status (a mismatch fails the
    /// test and throws, so later steps do not pile up follow-on failures).
    static func object(_ response: LoopbackResponse, _ status: Int, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        #expect(response.status == status, "\(response.status) \(response.text)", sourceLocation: sourceLocation)
        guard response.status == status else {
            throw ServerError(description: "expected \(status), got \(response.status): \(response.text)")
        }
        return try response.object
    }

    /// A compact JSON body; `NSNull()` writes `null`.
    static func json(_ value: [String: Any]) -> String {
        let data = try! JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// The whole text up to the seconds plus the milliseconds of an RFC 3339
    /// UTC timestamp, read from its digits (no floating point):
    /// `2030-06-01T12:00:00.02Z` → `2030-06-01T12:00:00 020`.
    static func millisecond(_ text: String) -> String {
        guard let z = text.firstIndex(of: "Z") else { return text }
        let seconds = text[..<z].split(separator: ".", maxSplits: 1)
        let fraction = seconds.count > 1 ? String(seconds[1]) : ""
        let digits = (fraction + "000").prefix(3)
        return "\(seconds[0]) \(digits)"
    }

    /// A 400 `validation_error` whose `errors` name each of `fields`.
    @discardableResult
    static func expectValidation(_ response: LoopbackResponse, fields expected: [String],
                                 sourceLocation: SourceLocation = #_sourceLocation) throws -> Schemas.Error {
        let error = try response.errorBody(400, sourceLocation: sourceLocation)
        expectValidation(error, fields: expected, sourceLocation: sourceLocation)
        return error
    }

    /// A 401 in the published form, with the Bearer challenge.
    static func expectUnauthorized(_ response: LoopbackResponse, sourceLocation: SourceLocation = #_sourceLocation) throws {
        expectUnauthorized(try response.errorBody(401, sourceLocation: sourceLocation), challenge: response.header("WWW-Authenticate"),
                           sourceLocation: sourceLocation)
    }

    /// The `error` code the published error body of `status` carries.
    static func errorCode(_ status: Int) -> Schemas.Error.ErrorValue {
        [400: .validationError, 401: .unauthorized, 403: .forbidden, 404: .notFound, 405: .methodNotAllowed, 409: .conflict,
         413: .payloadTooLarge, 415: .unsupportedMediaType, 422: .unprocessableEntity, 429: .tooManyRequests,
         503: .serviceUnavailable][status] ?? .serverError
    }

    /// Polls GET /self with `secret` until it is refused (bounded); false
    /// when it was still accepted at the deadline. At least one request is
    /// sent, even when the deadline has passed.
    static func waitUntilRefused(_ server: some TesseraEndpoint, _ secret: String, deadline: Date) async throws -> Bool {
        repeat {
            if case .unauthorized = try await server.api(secret).getSelf() { return true }
            try await Task.sleep(for: .milliseconds(50))
        } while Date() < deadline
        return false
    }

    /// Polls GET /readyz until it is 200; throws after `bound`.
    static func waitUntilReady(_ server: some TesseraEndpoint, within bound: Duration) async throws {
        let deadline = ContinuousClock.now + bound
        while ContinuousClock.now < deadline {
            if case .ok = try await server.api(nil).getReadiness() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ServerError(description: "an instance (port \(server.client.port)) did not become ready within \(bound)")
    }

    /// Runs `count` jobs, at most `width` at a time; results in job order.
    static func concurrently<T: Sendable>(_ count: Int, width: Int = 8, _ job: @escaping @Sendable (Int) async throws -> T) async throws -> [T] {
        try await withThrowingTaskGroup(of: (Int, T).self) { group in
            var results = [T?](repeating: nil, count: count)
            var next = 0
            while next < min(width, count) {
                let index = next
                group.addTask { (index, try await job(index)) }
                next += 1
            }
            while let (index, value) = try await group.next() {
                results[index] = value
                if next < count {
                    let index = next
                    group.addTask { (index, try await job(index)) }
                    next += 1
                }
            }
            return results.map { $0! }
        }
    }
}

// MARK: Through the generated client

/// An answer other than the one a step expected; thrown, it fails the test
/// with the whole typed answer (status case and body).
struct Unexpected: Error, CustomStringConvertible {
    var description: String

    init(_ answer: Any, _ expected: String = "") {
        description = (expected.isEmpty ? "" : "expected \(expected), got ") + "\(answer)"
    }
}

extension ServiceSteps {
    /// A new person, created by the bootstrap admin (or `token`'s holder); returns their id.
    static func newUser(_ server: some TesseraEndpoint, role: Schemas.UserRoleEnum, email: String? = nil, name: String? = nil,
                        token: String? = nil) async throws -> UUID {
        let unique = UUID().uuidString.prefix(8).lowercased()
        let body = Schemas.CreateUserRequest(email: email ?? "user-\(unique)@example.com", fullName: name ?? "User \(unique)", role: role)
        let output = try await server.api(token ?? server.adminSecret).createUser(.init(body: body))
        guard case .created(let user) = output else { throw Unexpected(output, "201") }
        return user.userID
    }

    /// A new service user, created by the bootstrap admin (or `token`'s holder); returns its id.
    static func newServiceUser(_ server: some TesseraEndpoint, role: Schemas.UserRoleEnum, name: String? = nil,
                               token: String? = nil) async throws -> UUID {
        let body = Schemas.CreateServiceUserRequest(name: name ?? "svc-\(UUID().uuidString.prefix(8).lowercased())", role: role)
        let output = try await server.api(token ?? server.adminSecret).createServiceUser(.init(body: body))
        guard case .created(let user) = output else { throw Unexpected(output, "201") }
        return user.userID
    }

    /// POST /tokens (by the bootstrap admin unless `token` is given): the token and its secret.
    static func newToken(_ server: some TesseraEndpoint, label: String, level: Schemas.ApiAccessLevelEnum = .fullAccess, userID: UUID? = nil,
                         expiresAt: Date? = nil, token: String? = nil) async throws -> Schemas.CreatedToken {
        let body = Schemas.CreateTokenRequest(tokenLabel: label, accessLevel: level, expiresAt: expiresAt, userID: userID)
        let output = try await server.api(token ?? server.adminSecret).createToken(.init(body: body))
        guard case .created(let created) = output else { throw Unexpected(output, "201") }
        return created
    }

    /// GET /self with `secret`.
    static func me(_ server: some TesseraEndpoint, _ secret: String) async throws -> Schemas.SelfResponse {
        let output = try await server.api(secret).getSelf()
        guard case .ok(let me) = output else { throw Unexpected(output, "200") }
        return me
    }

    /// An access token exchanged for `key` (POST /auth/token).
    static func accessToken(_ server: some TesseraEndpoint, _ key: String) async throws -> Schemas.AccessToken {
        let output = try await server.api(nil).exchangeToken(.init(body: .init(apiKey: key)))
        guard case .ok(let access) = output else { throw Unexpected(output, "200") }
        return access
    }

    /// PATCH /settings by the bootstrap admin.
    static func update(_ server: some TesseraEndpoint, _ patch: Schemas.SettingsPatch) async throws -> Schemas.Settings {
        let output = try await server.adminAPI.updateSettings(.init(body: patch))
        guard case .ok(let settings) = output else { throw Unexpected(output, "200") }
        return settings
    }

    /// The ids of the tokens one page of GET /tokens lists for `query`.
    static func listed(_ server: some TesseraEndpoint, _ query: Operations.GetTokens.Input = .init(pageSize: 1000)) async throws -> [UUID] {
        try await listedTokens(server, query).map(\.tokenID)
    }

    /// The tokens one page of GET /tokens lists for `query`, as the bootstrap admin.
    static func listedTokens(_ server: some TesseraEndpoint, _ query: Operations.GetTokens.Input = .init(pageSize: 1000)) async throws -> [Schemas.Token] {
        let output = try await server.adminAPI.getTokens(query)
        guard case .ok(let page) = output else { throw Unexpected(output, "200") }
        return page.results
    }

    /// A raw response's body decoded and validated as `T` by the generated
    /// client's rules, after checking the status: for a request the client
    /// cannot make (another content type, an encoded query) whose answer is
    /// read as the client reads it.
    static func decode<T: JSONDecodable>(_ type: T.Type, _ response: LoopbackResponse, _ status: Int,
                                         sourceLocation: SourceLocation = #_sourceLocation) throws -> T {
        #expect(response.status == status, "\(response.status) \(response.text)", sourceLocation: sourceLocation)
        guard response.status == status else {
            throw ServerError(description: "expected \(status), got \(response.status): \(response.text)")
        }
        return try ClientResponse(status: response.status, headers: response.headers, body: response.body).json(type, operation: "\(T.self)")
    }

    /// Checks the published error body: the `error` code, and a
    /// `correlationId` of 32 lowercase hexadecimal characters. (That the
    /// `X-Correlation-ID` header repeats it is checked on raw responses:
    /// `LoopbackResponse.expectError`.)
    static func expectError(_ error: Schemas.Error, _ code: Schemas.Error.ErrorValue, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(error.error == code, "\(error)", sourceLocation: sourceLocation)
        #expect(error.correlationId.count == 32 && error.correlationId.allSatisfy({ $0.isHexDigit && !$0.isUppercase }),
                "\(error.correlationId)", sourceLocation: sourceLocation)
    }

    /// A `validation_error` whose `errors` name each of `fields`.
    static func expectValidation(_ error: Schemas.Error, fields expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        expectError(error, .validationError, sourceLocation: sourceLocation)
        let named = (error.errors ?? []).map(\.field)
        for field in expected {
            // An array parameter may be named by the failing item: `token_ids[1]`.
            #expect(named.contains { $0 == field || $0.hasPrefix(field + "[") }, "errors do not name \(field): \(error)",
                    sourceLocation: sourceLocation)
        }
    }

    /// A 401 in the published form (`unauthorized`, its message) with the Bearer challenge.
    static func expectUnauthorized(_ error: Schemas.Error, challenge: String?, sourceLocation: SourceLocation = #_sourceLocation) {
        expectError(error, .unauthorized, sourceLocation: sourceLocation)
        #expect(challenge == #"Bearer error="invalid_token""#, sourceLocation: sourceLocation)
        #expect(error.message == "Invalid or expired authentication token", sourceLocation: sourceLocation)
    }

    /// GET /self with `secret` is the published 401.
    static func expectRefused(_ server: some TesseraEndpoint, _ secret: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let output = try await server.api(secret).getSelf()
        guard case .unauthorized(let error, let headers) = output else {
            Issue.record(Unexpected(output, "401"), sourceLocation: sourceLocation)
            return
        }
        expectUnauthorized(error, challenge: headers.wwwAuthenticate, sourceLocation: sourceLocation)
    }

    /// GET /self with `secret` is a 200.
    static func expectAccepted(_ server: some TesseraEndpoint, _ secret: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let output = try await server.api(secret).getSelf()
        guard case .ok = output else {
            Issue.record(Unexpected(output, "200"), sourceLocation: sourceLocation)
            return
        }
    }

    /// POST /auth/token with `key` is the published 401.
    static func expectExchangeRefused(_ server: some TesseraEndpoint, _ key: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let output = try await server.api(nil).exchangeToken(.init(body: .init(apiKey: key)))
        guard case .unauthorized(let error, let headers) = output else {
            Issue.record(Unexpected(output, "401"), sourceLocation: sourceLocation)
            return
        }
        expectUnauthorized(error, challenge: headers.wwwAuthenticate, sourceLocation: sourceLocation)
    }
}
