import APIRuntime
import Foundation
import HTTPTestClient
import TesseraClient
import Testing

/// The audit trail (PRODUCT.md §3, §5a): each change records its event with
/// the actor, the acting token's label and preview and the caller's IP;
/// newest first; Opal's filters. Read through the generated client.
@Suite("Events")
struct EventsTests {
    /// One page of up to 1,000 events for `query`, as the bootstrap admin.
    static func events(_ server: TesseraProcess, _ query: Operations.Events.Input = .init()) async throws -> [Schemas.Event] {
        var query = query
        query.pageSize = 1000
        let output = try await server.adminAPI.events(query)
        guard case .ok(let page) = output else { throw Unexpected(output, "200") }
        return page.results ?? []
    }

    /// The one event of `type` about `object` (by object_filter when given).
    static func single(_ server: TesseraProcess, _ type: String, object: UUID?, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Schemas.Event {
        let found = try await events(server, .init(objectFilter: object, eventTypeFilter: type))
        #expect(found.count == 1, "\(type) about \(object?.description ?? "-"): \(found.count) events", sourceLocation: sourceLocation)
        for event in found {
            #expect(event.eventType == type, sourceLocation: sourceLocation)
        }
        guard let event = found.first else { throw ServerError(description: "no \(type) event") }
        return event
    }

    struct Acting {
        var userID: UUID
        var name: String
        var email: String?
        var label: String
        var preview: String
    }

    static func expectActor(_ event: Schemas.Event, _ actor: Acting, since: Date, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(event.actorUserID == actor.userID, "\(event)", sourceLocation: sourceLocation)
        #expect(event.actorName == actor.name, "\(event)", sourceLocation: sourceLocation)
        if let email = actor.email {
            #expect(event.actorEmail == email, "\(event)", sourceLocation: sourceLocation)
        }
        #expect(event.apiTokenName == actor.label, "\(event)", sourceLocation: sourceLocation)
        #expect(event.apiTokenPreview == actor.preview, "\(event)", sourceLocation: sourceLocation)
        #expect(event.actorIPAddress == "127.0.0.1", "\(event)", sourceLocation: sourceLocation)
        #expect(event.createdAt >= since.addingTimeInterval(-0.002) && event.createdAt <= Date().addingTimeInterval(0.002), "\(event)",
                sourceLocation: sourceLocation)
        // That `event_id` is written in lower case: everyEventType, on the raw list.
    }

    @Test("Every event type is recorded by its action, with actor, acting token and IP; access tokens act as their key")
    func everyEventType() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let since = Date()
        let me = try await ServiceSteps.me(server, server.adminSecret)
        let adminID = me.identity.userID
        let bootstrapLabel = me.token.tokenLabel

        // A labelled admin key does everything below.
        let key = try await ServiceSteps.newToken(server, label: "auditor:key")
        let keyAPI = server.api(key.secret)
        let acting = Acting(userID: adminID, name: "Tessera Admin", email: "admin@tessera.local", label: "auditor:key", preview: String(key.secret.suffix(5)))
        let bootstrap = Acting(userID: adminID, name: "Tessera Admin", email: "admin@tessera.local", label: bootstrapLabel,
                               preview: String(server.adminSecret.suffix(5)))
        Self.expectActor(try await Self.single(server, "API_TOKEN_CREATED", object: key.token.tokenID), bootstrap, since: since)

        let member = try await ServiceSteps.newUser(server, role: .member, token: key.secret)
        Self.expectActor(try await Self.single(server, "USERS_CREATED", object: member), acting, since: since)

        let memberKey = try await ServiceSteps.newToken(server, label: "member key", userID: member, token: key.secret)
        let memberKeyID = memberKey.token.tokenID
        Self.expectActor(try await Self.single(server, "API_TOKEN_CREATED", object: memberKeyID), acting, since: since)

        let relabel = try await keyAPI.updateToken(.init(tokenID: memberKeyID, body: .init(tokenLabel: "relabelled")))
        guard case .ok = relabel else { throw Unexpected(relabel, "200") }
        Self.expectActor(try await Self.single(server, "API_TOKEN_UPDATED", object: memberKeyID), acting, since: since)

        let regeneration = try await keyAPI.regenerateToken(.init(tokenID: memberKeyID))
        guard case .ok = regeneration else { throw Unexpected(regeneration, "200") }
        Self.expectActor(try await Self.single(server, "API_TOKEN_REGENERATED", object: memberKeyID), acting, since: since)

        let deletion = try await keyAPI.deleteToken(.init(tokenID: memberKeyID))
        guard case .ok = deletion else { throw Unexpected(deletion, "200") }
        Self.expectActor(try await Self.single(server, "API_TOKEN_DELETED", object: memberKeyID), acting, since: since)

        let machine = try await ServiceSteps.newServiceUser(server, role: .member, token: key.secret)
        Self.expectActor(try await Self.single(server, "SERVICE_USER_CREATED", object: machine), acting, since: since)
        let machineDeletion = try await keyAPI.deleteServiceUser(.init(userID: machine))
        guard case .ok = machineDeletion else { throw Unexpected(machineDeletion, "200") }
        Self.expectActor(try await Self.single(server, "SERVICE_USER_DELETED", object: machine), acting, since: since)

        let deactivation = try await keyAPI.deactivateUser(.init(userID: member))
        guard case .ok = deactivation else { throw Unexpected(deactivation, "200") }
        Self.expectActor(try await Self.single(server, "USER_DEACTIVATED", object: member), acting, since: since)

        let settings = try await keyAPI.updateSettings(.init(body: .init(accessTokenTtlSeconds: 900)))
        guard case .ok = settings else { throw Unexpected(settings, "200") }
        Self.expectActor(try await Self.single(server, "SETTINGS_UPDATED", object: nil), acting, since: since)

        // The exchange: the key's owner acts, with the key.
        let access = try await ServiceSteps.accessToken(server, key.secret).accessToken
        Self.expectActor(try await Self.single(server, "ACCESS_TOKEN_ISSUED", object: key.token.tokenID), acting, since: since)

        // What an access token does is attributed to its parent key.
        let viaAccess = try await ServiceSteps.newUser(server, role: .member, token: access)
        Self.expectActor(try await Self.single(server, "USERS_CREATED", object: viaAccess), acting, since: since)

        // A service user acting with its own key.
        let robot = try await ServiceSteps.newServiceUser(server, role: .admin, name: "robot")
        let robotKey = try await ServiceSteps.newToken(server, label: "robot key", userID: robot)
        let robotAccess = try await ServiceSteps.accessToken(server, robotKey.secret).accessToken
        let robotActing = Acting(userID: robot, name: "robot", email: nil, label: "robot key", preview: String(robotKey.secret.suffix(5)))
        Self.expectActor(try await Self.single(server, "ACCESS_TOKEN_ISSUED", object: robotKey.token.tokenID), robotActing, since: since)
        let byRobot = try await ServiceSteps.newUser(server, role: .member, token: robotAccess)
        Self.expectActor(try await Self.single(server, "USERS_CREATED", object: byRobot), robotActing, since: since)

        // Every type has appeared; no event shows a secret, and every id is
        // written in lower case (the bytes of the list: raw).
        let all = try await Self.events(server)
        #expect(Set(all.map(\.eventType)) == ["API_TOKEN_CREATED", "API_TOKEN_UPDATED", "API_TOKEN_DELETED", "API_TOKEN_REGENERATED", "ACCESS_TOKEN_ISSUED",
                                               "USERS_CREATED", "USER_DEACTIVATED", "SERVICE_USER_CREATED", "SERVICE_USER_DELETED", "SETTINGS_UPDATED"])
        let text = try await client.call("GET", "/v1/events?page_size=1000", token: server.adminSecret).text
        for secret in [server.adminSecret, key.secret, memberKey.secret, access, robotKey.secret, robotAccess] {
            #expect(!text.contains(secret))
        }
        for event in all {
            let upper = event.eventID.uuidString
            #expect(text.contains(upper.lowercased()), "\(upper)")
            if upper != upper.lowercased() { #expect(!text.contains(upper), "\(upper) in upper case") }
        }

        // GET /events/{id}: the same event; unknown → 404; malformed → 400.
        let newest = try #require(all.first)
        let oneOutput = try await server.adminAPI.getEvent(.init(eventID: newest.eventID))
        guard case .ok(let one) = oneOutput else { throw Unexpected(oneOutput, "200") }
        #expect(one == newest)
        let unknown = try await server.adminAPI.getEvent(.init(eventID: UUID()))
        guard case .notFound(let unknownError) = unknown else { throw Unexpected(unknown, "404") }
        ServiceSteps.expectError(unknownError, .notFound)
        // A malformed id, which the client cannot send: raw.
        try ServiceSteps.expectValidation(try await client.call("GET", "/v1/events/not-an-id", token: server.adminSecret), fields: ["event_id"])
    }

    @Test("Events come newest first; filters by type, actor, object, token, and dates (date-time or date, inclusive)")
    func orderAndFilters() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let admin = server.adminAPI
        let me = try await ServiceSteps.me(server, server.adminSecret)
        let adminID = me.identity.userID

        // A second admin, with a token whose label contains a colon.
        let other = try await ServiceSteps.newUser(server, role: .admin, name: "Other Admin")
        let otherKey = try await ServiceSteps.newToken(server, label: "ops:deploy", userID: other)
        var objects: [UUID] = []
        for index in 0 ..< 3 {
            objects.append(try await ServiceSteps.newServiceUser(server, role: .member, name: "by other \(index)", token: otherKey.secret))
        }
        let token = try await ServiceSteps.newToken(server, label: "watched").token.tokenID
        let relabel = try await admin.updateToken(.init(tokenID: token, body: .init(tokenLabel: "watched 2")))
        guard case .ok = relabel else { throw Unexpected(relabel, "200") }
        let deletion = try await admin.deleteToken(.init(tokenID: token))
        guard case .ok = deletion else { throw Unexpected(deletion, "200") }

        // Newest first, by time and by the order we acted in.
        let all = try await Self.events(server)
        let times = all.map(\.createdAt)
        #expect(times == times.sorted(by: >))
        // Our actions, oldest first, appear in the list in reverse.
        var acted: [UUID] = []
        for object in objects {
            acted += try await Self.events(server, .init(objectFilter: object)).map(\.eventID)
        }
        acted += try await Self.events(server, .init(objectFilter: token)).map(\.eventID).reversed()
        #expect(acted.count == 6)
        let positions = acted.compactMap { id in all.firstIndex { $0.eventID == id } }
        #expect(positions.count == 6 && positions == positions.sorted(by: >), "\(positions)")

        // Paging through events newest first with cursors gives the same list.
        var paged: [UUID] = []
        var cursor: String?
        var rounds = 0
        repeat {
            let output = try await admin.events(.init(cursor: cursor, pageSize: 3))
            guard case .ok(let page) = output else { throw Unexpected(output, "200") }
            paged += (page.results ?? []).map(\.eventID)
            cursor = page.next ?? nil
            rounds += 1
        } while cursor != nil && rounds < 100
        #expect(paged == all.map(\.eventID))

        // event_type_filter
        let created = try await Self.events(server, .init(eventTypeFilter: "SERVICE_USER_CREATED"))
        #expect(created.count == 3 && created.allSatisfy { $0.eventType == "SERVICE_USER_CREATED" })
        #expect(try await Self.events(server, .init(eventTypeFilter: "NO_SUCH_TYPE")).isEmpty)

        // actor_filter
        let byOther = try await Self.events(server, .init(actorFilter: other))
        #expect(byOther.count == 3 && byOther.allSatisfy { $0.actorUserID == other })
        let byAdmin = try await Self.events(server, .init(actorFilter: adminID))
        #expect(byAdmin.count == all.count - 3 && byAdmin.allSatisfy { $0.actorUserID == adminID })

        // object_filter
        let aboutToken = try await Self.events(server, .init(objectFilter: token))
        #expect(aboutToken.map(\.eventType) == ["API_TOKEN_DELETED", "API_TOKEN_UPDATED", "API_TOKEN_CREATED"])
        #expect(try await Self.events(server, .init(objectFilter: other)).map(\.eventType) == ["USERS_CREATED"])
        #expect(try await Self.events(server, .init(objectFilter: UUID())).isEmpty)

        // api_token_filter LABEL:PREVIEW (the label itself has a colon).
        let otherPreview = String(otherKey.secret.suffix(5))
        let byKey = try await Self.events(server, .init(apiTokenFilter: "ops:deploy:\(otherPreview)"))
        #expect(byKey.count == 3 && byKey.allSatisfy { $0.apiTokenName == "ops:deploy" && $0.apiTokenPreview == otherPreview })
        #expect(try await Self.events(server, .init(apiTokenFilter: "ops:deploy:zzzzz")).isEmpty)
        #expect(try await Self.events(server, .init(apiTokenFilter: "other:\(otherPreview)")).isEmpty)
        let byBootstrap = try await Self.events(server, .init(apiTokenFilter: "\(me.token.tokenLabel):\(server.adminSecret.suffix(5))"))
        #expect(byBootstrap.count == 5, "\(byBootstrap.map(\.eventType))")

        // Combined filters.
        let combined = try await Self.events(server, .init(actorFilter: adminID, eventTypeFilter: "API_TOKEN_CREATED"))
        #expect(combined.count == 3, "bootstrap's own token, other's key, watched")

        // Dates: date-times are inclusive at both ends.
        let middle = try #require(created.dropFirst().first)
        let middleTime = RFC3339.format(middle.createdAt)
        let fromMiddle = try await Self.events(server, .init(startDateFilter: middleTime))
        #expect(fromMiddle.contains { $0.eventID == middle.eventID })
        #expect(fromMiddle.allSatisfy { $0.createdAt >= middle.createdAt })
        let untilMiddle = try await Self.events(server, .init(endDateFilter: middleTime))
        #expect(untilMiddle.contains { $0.eventID == middle.eventID })
        #expect(untilMiddle.allSatisfy { $0.createdAt <= middle.createdAt })
        #expect(fromMiddle.count + untilMiddle.count >= all.count + 1)
        let exactly = try await Self.events(server, .init(startDateFilter: middleTime, endDateFilter: middleTime))
        #expect(exactly.contains { $0.eventID == middle.eventID })
        #expect(exactly.allSatisfy { $0.createdAt == middle.createdAt })
        // An offset date-time means the same instant.
        let newestTime = try #require(all.first?.createdAt)
        let plusTwo = Self.offsetTimestamp(newestTime.addingTimeInterval(1), hours: 2)
        #expect(try await Self.events(server, .init(startDateFilter: plusTwo)).isEmpty)
        #expect(try await Self.events(server, .init(endDateFilter: plusTwo)).count == all.count)

        // Dates without a time: the start is the day's first instant, the
        // end includes the whole day (UTC).
        let day = String(RFC3339.format(try #require(all.first?.createdAt)).prefix(10))
        let oldestDay = String(RFC3339.format(try #require(all.last?.createdAt)).prefix(10))
        #expect(try await Self.events(server, .init(endDateFilter: day)).count == all.count)
        #expect(try await Self.events(server, .init(startDateFilter: oldestDay)).count == all.count)
        #expect(try await Self.events(server, .init(startDateFilter: oldestDay, endDateFilter: day)).count == all.count)
        let nextDay = Self.shift(day, days: 1)
        let dayBefore = Self.shift(oldestDay, days: -1)
        #expect(try await Self.events(server, .init(startDateFilter: nextDay)).isEmpty)
        #expect(try await Self.events(server, .init(endDateFilter: dayBefore)).isEmpty)

        // Malformed dates: 400 naming each field.
        func expectRefused(_ query: Operations.Events.Input, fields: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let output = try await admin.events(query)
            guard case .badRequest(let error) = output else { Issue.record(Unexpected(output, "400"), sourceLocation: sourceLocation); return }
            ServiceSteps.expectValidation(error, fields: fields, sourceLocation: sourceLocation)
        }
        for bad in ["yesterday", "2024-13-01", "2024-02-30", "2024-01-01T25:00:00Z", "2024/01/01", "20240101", "2024-01-01T10:00:00"] {
            try await expectRefused(.init(startDateFilter: bad), fields: ["start_date_filter"])
            try await expectRefused(.init(endDateFilter: bad), fields: ["end_date_filter"])
        }
        try await expectRefused(.init(startDateFilter: "nope", endDateFilter: "2024-00-10"), fields: ["start_date_filter", "end_date_filter"])
        // Malformed ids, which the client cannot send: raw.
        try ServiceSteps.expectValidation(try await client.call("GET", "/v1/events?actor_filter=nope", token: server.adminSecret), fields: ["actor_filter"])
        try ServiceSteps.expectValidation(try await client.call("GET", "/v1/events?object_filter=nope", token: server.adminSecret), fields: ["object_filter"])
    }

    @Test("Events are admin-only: members (and member service users) get 403")
    func membersAreForbidden() async throws {
        let server = try await TesseraProcess.start()
        let member = try await ServiceSteps.newUser(server, role: .member)
        let memberKey = try await ServiceSteps.newToken(server, label: "m", userID: member)
        let robot = try await ServiceSteps.newServiceUser(server, role: .member)
        let robotKey = try await ServiceSteps.newToken(server, label: "r", userID: robot)
        let eventID = try #require(try await Self.events(server).first?.eventID)
        for secret in [memberKey.secret, robotKey.secret, try await ServiceSteps.accessToken(server, memberKey.secret).accessToken] {
            let caller = server.api(secret)
            let list = try await caller.events()
            if case .forbidden(let error) = list { ServiceSteps.expectError(error, .forbidden) } else { Issue.record(Unexpected(list, "403")) }
            let one = try await caller.getEvent(.init(eventID: eventID))
            if case .forbidden(let error) = one { ServiceSteps.expectError(error, .forbidden) } else { Issue.record(Unexpected(one, "403")) }
        }
        // A read-only admin token may read them.
        let reader = try await ServiceSteps.newToken(server, label: "reader", level: .readOnly)
        let read = try await server.api(reader.secret).getEvent(.init(eventID: eventID))
        guard case .ok = read else { throw Unexpected(read, "200") }
        let anonymous = try await server.api(nil).events()
        guard case .unauthorized(let error, let headers) = anonymous else { throw Unexpected(anonymous, "401") }
        ServiceSteps.expectUnauthorized(error, challenge: headers.wwwAuthenticate)
    }

    // MARK: Helpers

    static func shift(_ day: String, days: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        let date = formatter.date(from: day)!.addingTimeInterval(Double(days) * 86_400)
        return formatter.string(from: date)
    }

    static func offsetTimestamp(_ date: Date, hours: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(secondsFromGMT: hours * 3600)
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
