import Foundation
import HTTPTestClient
import Testing

/// The audit trail (PRODUCT.md §3, §5a): each change records its event with
/// the actor, the acting token's label and preview and the caller's IP;
/// newest first; Opal's filters.
@Suite("Events")
struct EventsTests {
    static func events(_ server: TesseraProcess, _ query: String = "", sourceLocation: SourceLocation = #_sourceLocation) async throws -> [[String: Any]] {
        let path = "/v1/events?page_size=1000" + (query.isEmpty ? "" : "&\(query)")
        let body = try ServiceSteps.object(try await server.client.call("GET", path, token: server.adminSecret), 200, sourceLocation: sourceLocation)
        return body["results"] as? [[String: Any]] ?? []
    }

    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    /// The one event of `type` about `object` (by object_filter when given).
    static func single(_ server: TesseraProcess, _ type: String, object: String?, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        var query = "event_type_filter=\(type)"
        if let object { query += "&object_filter=\(object)" }
        let found = try await events(server, query, sourceLocation: sourceLocation)
        #expect(found.count == 1, "\(type) about \(object ?? "-"): \(found.count) events", sourceLocation: sourceLocation)
        for event in found {
            #expect(event["event_type"] as? String == type, sourceLocation: sourceLocation)
        }
        guard let event = found.first else { throw ServerError(description: "no \(type) event") }
        return event
    }

    struct Acting {
        var userID: String
        var name: String
        var email: String?
        var label: String
        var preview: String
    }

    static func expectActor(_ event: [String: Any], _ actor: Acting, since: Date, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(event["actor_user_id"] as? String == actor.userID, "\(event)", sourceLocation: sourceLocation)
        #expect(event["actor_name"] as? String == actor.name, "\(event)", sourceLocation: sourceLocation)
        if let email = actor.email {
            #expect(event["actor_email"] as? String == email, "\(event)", sourceLocation: sourceLocation)
        }
        #expect(event["api_token_name"] as? String == actor.label, "\(event)", sourceLocation: sourceLocation)
        #expect(event["api_token_preview"] as? String == actor.preview, "\(event)", sourceLocation: sourceLocation)
        #expect(event["actor_ip_address"] as? String == "127.0.0.1", "\(event)", sourceLocation: sourceLocation)
        let created = ServiceSteps.date(event["created_at"])
        #expect(created.map { $0 >= since.addingTimeInterval(-0.002) && $0 <= Date().addingTimeInterval(0.002) } == true, "\(event)",
                sourceLocation: sourceLocation)
        let id = event["event_id"] as? String
        #expect(id.map { UUID(uuidString: $0) != nil && $0 == $0.lowercased() } == true, sourceLocation: sourceLocation)
    }

    @Test("Every event type is recorded by its action, with actor, acting token and IP; access tokens act as their key")
    func everyEventType() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let since = Date()
        let adminID = try await ServiceSteps.userID(server, server.adminSecret)
        let me = try ServiceSteps.object(try await client.call("GET", "/v1/self", token: server.adminSecret), 200)
        let bootstrapLabel = try #require((me["token"] as? [String: Any])?["token_label"] as? String)

        // A labelled admin key does everything below.
        let key = try await ServiceSteps.createToken(server, label: "auditor:key")
        let acting = Acting(userID: adminID, name: "Tessera Admin", email: "admin@tessera.local", label: "auditor:key", preview: String(key.secret.suffix(5)))
        let bootstrap = Acting(userID: adminID, name: "Tessera Admin", email: "admin@tessera.local", label: bootstrapLabel,
                               preview: String(server.adminSecret.suffix(5)))
        Self.expectActor(try await Self.single(server, "API_TOKEN_CREATED", object: key.id), bootstrap, since: since)

        let member = try await ServiceSteps.createUser(server, role: "MEMBER", token: key.secret)
        Self.expectActor(try await Self.single(server, "USERS_CREATED", object: member), acting, since: since)

        let memberKey = try await ServiceSteps.createToken(server, label: "member key", userID: member, token: key.secret)
        Self.expectActor(try await Self.single(server, "API_TOKEN_CREATED", object: memberKey.id), acting, since: since)

        #expect(try await client.call("PATCH", "/v1/tokens/\(memberKey.id)", token: key.secret, json: ServiceSteps.json(["token_label": "relabelled"])).status == 200)
        Self.expectActor(try await Self.single(server, "API_TOKEN_UPDATED", object: memberKey.id), acting, since: since)

        #expect(try await client.call("POST", "/v1/tokens/\(memberKey.id)/regenerate", token: key.secret).status == 200)
        Self.expectActor(try await Self.single(server, "API_TOKEN_REGENERATED", object: memberKey.id), acting, since: since)

        #expect(try await client.call("DELETE", "/v1/tokens/\(memberKey.id)", token: key.secret).status == 200)
        Self.expectActor(try await Self.single(server, "API_TOKEN_DELETED", object: memberKey.id), acting, since: since)

        let machine = try await ServiceSteps.createServiceUser(server, role: "MEMBER", token: key.secret)
        Self.expectActor(try await Self.single(server, "SERVICE_USER_CREATED", object: machine), acting, since: since)
        #expect(try await client.call("DELETE", "/v1/service-users/\(machine)", token: key.secret).status == 200)
        Self.expectActor(try await Self.single(server, "SERVICE_USER_DELETED", object: machine), acting, since: since)

        #expect(try await client.call("DELETE", "/v1/users/\(member)", token: key.secret).status == 200)
        Self.expectActor(try await Self.single(server, "USER_DEACTIVATED", object: member), acting, since: since)

        #expect(try await client.call("PATCH", "/v1/settings", token: key.secret, json: ServiceSteps.json(["access_token_ttl_seconds": 900])).status == 200)
        Self.expectActor(try await Self.single(server, "SETTINGS_UPDATED", object: nil), acting, since: since)

        // The exchange: the key's owner acts, with the key.
        let access = try await ServiceSteps.exchange(server, key.secret)
        Self.expectActor(try await Self.single(server, "ACCESS_TOKEN_ISSUED", object: key.id), acting, since: since)

        // What an access token does is attributed to its parent key.
        let viaAccess = try await ServiceSteps.createUser(server, role: "MEMBER", token: access)
        Self.expectActor(try await Self.single(server, "USERS_CREATED", object: viaAccess), acting, since: since)

        // A service user acting with its own key.
        let robot = try await ServiceSteps.createServiceUser(server, role: "ADMIN", name: "robot")
        let robotKey = try await ServiceSteps.createToken(server, label: "robot key", userID: robot)
        let robotAccess = try await ServiceSteps.exchange(server, robotKey.secret)
        let robotActing = Acting(userID: robot, name: "robot", email: nil, label: "robot key", preview: String(robotKey.secret.suffix(5)))
        Self.expectActor(try await Self.single(server, "ACCESS_TOKEN_ISSUED", object: robotKey.id), robotActing, since: since)
        let byRobot = try await ServiceSteps.createUser(server, role: "MEMBER", token: robotAccess)
        Self.expectActor(try await Self.single(server, "USERS_CREATED", object: byRobot), robotActing, since: since)

        // Every type has appeared; no event shows a secret.
        let all = try await Self.events(server)
        let types = Set(all.compactMap { $0["event_type"] as? String })
        #expect(types == ["API_TOKEN_CREATED", "API_TOKEN_UPDATED", "API_TOKEN_DELETED", "API_TOKEN_REGENERATED", "ACCESS_TOKEN_ISSUED",
                          "USERS_CREATED", "USER_DEACTIVATED", "SERVICE_USER_CREATED", "SERVICE_USER_DELETED", "SETTINGS_UPDATED"])
        let text = try await client.call("GET", "/v1/events?page_size=1000", token: server.adminSecret).text
        for secret in [server.adminSecret, key.secret, memberKey.secret, access, robotKey.secret, robotAccess] {
            #expect(!text.contains(secret))
        }

        // GET /events/{id}: the same event; unknown → 404; malformed → 400.
        let newest = try #require(all.first)
        let eventID = try #require(newest["event_id"] as? String)
        let one = try ServiceSteps.object(try await client.call("GET", "/v1/events/\(eventID)", token: server.adminSecret), 200)
        #expect(ServiceSteps.json(one) == ServiceSteps.json(newest))
        try (try await client.call("GET", "/v1/events/\(UUID().uuidString.lowercased())", token: server.adminSecret)).expectError(404, "not_found")
        try ServiceSteps.expectValidation(try await client.call("GET", "/v1/events/not-an-id", token: server.adminSecret), fields: ["event_id"])
    }

    @Test("Events come newest first; filters by type, actor, object, token, and dates (date-time or date, inclusive)")
    func orderAndFilters() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let adminID = try await ServiceSteps.userID(server, server.adminSecret)

        // A second admin, with a token whose label contains a colon.
        let other = try await ServiceSteps.createUser(server, role: "ADMIN", name: "Other Admin")
        let otherKey = try await ServiceSteps.createToken(server, label: "ops:deploy", userID: other)
        var objects: [String] = []
        for index in 0 ..< 3 {
            objects.append(try await ServiceSteps.createServiceUser(server, role: "MEMBER", name: "by other \(index)", token: otherKey.secret))
        }
        let token = try await ServiceSteps.createToken(server, label: "watched")
        #expect(try await client.call("PATCH", "/v1/tokens/\(token.id)", token: server.adminSecret, json: ServiceSteps.json(["token_label": "watched 2"])).status == 200)
        #expect(try await client.call("DELETE", "/v1/tokens/\(token.id)", token: server.adminSecret).status == 200)

        // Newest first, by time and by the order we acted in.
        let all = try await Self.events(server)
        let times = all.compactMap { ServiceSteps.date($0["created_at"]) }
        #expect(times.count == all.count && times == times.sorted(by: >))
        // Our actions, oldest first, appear in the list in reverse.
        var acted: [String] = []
        for object in objects {
            acted += try await Self.events(server, "object_filter=\(object)").compactMap { $0["event_id"] as? String }
        }
        acted += try await Self.events(server, "object_filter=\(token.id)").compactMap { $0["event_id"] as? String }.reversed()
        #expect(acted.count == 6)
        let positions = acted.compactMap { id in all.firstIndex { $0["event_id"] as? String == id } }
        #expect(positions.count == 6 && positions == positions.sorted(by: >), "\(positions)")

        // Paging through events newest first with cursors gives the same list.
        var paged: [String] = []
        var cursor: String?
        var rounds = 0
        repeat {
            let path = "/v1/events?page_size=3" + (cursor.map { "&cursor=\(Self.encoded($0))" } ?? "")
            let body = try ServiceSteps.object(try await client.call("GET", path, token: server.adminSecret), 200)
            paged += (body["results"] as? [[String: Any]] ?? []).compactMap { $0["event_id"] as? String }
            cursor = body["next"] as? String
            rounds += 1
        } while cursor != nil && rounds < 100
        #expect(paged == all.compactMap { $0["event_id"] as? String })

        // event_type_filter
        let created = try await Self.events(server, "event_type_filter=SERVICE_USER_CREATED")
        #expect(created.count == 3 && created.allSatisfy { $0["event_type"] as? String == "SERVICE_USER_CREATED" })
        #expect(try await Self.events(server, "event_type_filter=NO_SUCH_TYPE").isEmpty)

        // actor_filter
        let byOther = try await Self.events(server, "actor_filter=\(other)")
        #expect(byOther.count == 3 && byOther.allSatisfy { $0["actor_user_id"] as? String == other })
        let byAdmin = try await Self.events(server, "actor_filter=\(adminID)")
        #expect(byAdmin.count == all.count - 3 && byAdmin.allSatisfy { $0["actor_user_id"] as? String == adminID })

        // object_filter
        let aboutToken = try await Self.events(server, "object_filter=\(token.id)")
        #expect(aboutToken.map { $0["event_type"] as? String ?? "" } == ["API_TOKEN_DELETED", "API_TOKEN_UPDATED", "API_TOKEN_CREATED"])
        #expect(try await Self.events(server, "object_filter=\(other)").map { $0["event_type"] as? String ?? "" } == ["USERS_CREATED"])
        #expect(try await Self.events(server, "object_filter=\(UUID().uuidString.lowercased())").isEmpty)

        // api_token_filter LABEL:PREVIEW (the label itself has a colon).
        let otherPreview = String(otherKey.secret.suffix(5))
        let byKey = try await Self.events(server, "api_token_filter=\(Self.encoded("ops:deploy:\(otherPreview)"))")
        #expect(byKey.count == 3 && byKey.allSatisfy { $0["api_token_name"] as? String == "ops:deploy" && $0["api_token_preview"] as? String == otherPreview })
        #expect(try await Self.events(server, "api_token_filter=\(Self.encoded("ops:deploy:zzzzz"))").isEmpty)
        #expect(try await Self.events(server, "api_token_filter=\(Self.encoded("other:\(otherPreview)"))").isEmpty)
        let me = try ServiceSteps.object(try await client.call("GET", "/v1/self", token: server.adminSecret), 200)
        let bootstrapLabel = try #require((me["token"] as? [String: Any])?["token_label"] as? String)
        let byBootstrap = try await Self.events(server, "api_token_filter=\(Self.encoded("\(bootstrapLabel):\(server.adminSecret.suffix(5))"))")
        #expect(byBootstrap.count == 5, "\(byBootstrap.map { $0["event_type"] ?? "" })")

        // Combined filters.
        let combined = try await Self.events(server, "actor_filter=\(adminID)&event_type_filter=API_TOKEN_CREATED")
        #expect(combined.count == 3, "bootstrap's own token, other's key, watched")

        // Dates: date-times are inclusive at both ends.
        let middle = try #require(created.dropFirst().first)
        let middleTime = try #require(middle["created_at"] as? String)
        let fromMiddle = try await Self.events(server, "start_date_filter=\(Self.encoded(middleTime))")
        #expect(fromMiddle.contains { $0["event_id"] as? String == middle["event_id"] as? String })
        #expect(fromMiddle.allSatisfy { (ServiceSteps.date($0["created_at"]) ?? .distantPast) >= ServiceSteps.date(middleTime)! })
        let untilMiddle = try await Self.events(server, "end_date_filter=\(Self.encoded(middleTime))")
        #expect(untilMiddle.contains { $0["event_id"] as? String == middle["event_id"] as? String })
        #expect(untilMiddle.allSatisfy { (ServiceSteps.date($0["created_at"]) ?? .distantFuture) <= ServiceSteps.date(middleTime)! })
        #expect(fromMiddle.count + untilMiddle.count >= all.count + 1)
        let exactly = try await Self.events(server, "start_date_filter=\(Self.encoded(middleTime))&end_date_filter=\(Self.encoded(middleTime))")
        #expect(exactly.contains { $0["event_id"] as? String == middle["event_id"] as? String })
        #expect(exactly.allSatisfy { $0["created_at"] as? String == middleTime })
        // An offset date-time means the same instant.
        let newestTime = try #require(ServiceSteps.date(all.first?["created_at"]))
        let plusTwo = Self.offsetTimestamp(newestTime.addingTimeInterval(1), hours: 2)
        #expect(try await Self.events(server, "start_date_filter=\(Self.encoded(plusTwo))").isEmpty)
        #expect(try await Self.events(server, "end_date_filter=\(Self.encoded(plusTwo))").count == all.count)

        // Dates without a time: the start is the day's first instant, the
        // end includes the whole day (UTC).
        let day = try #require((all.first?["created_at"] as? String)?.prefix(10)).description
        let oldestDay = try #require((all.last?["created_at"] as? String)?.prefix(10)).description
        #expect(try await Self.events(server, "end_date_filter=\(day)").count == all.count)
        #expect(try await Self.events(server, "start_date_filter=\(oldestDay)").count == all.count)
        #expect(try await Self.events(server, "start_date_filter=\(oldestDay)&end_date_filter=\(day)").count == all.count)
        let nextDay = Self.shift(day, days: 1)
        let dayBefore = Self.shift(oldestDay, days: -1)
        #expect(try await Self.events(server, "start_date_filter=\(nextDay)").isEmpty)
        #expect(try await Self.events(server, "end_date_filter=\(dayBefore)").isEmpty)

        // Malformed dates: 400 naming each field.
        for bad in ["yesterday", "2024-13-01", "2024-02-30", "2024-01-01T25:00:00Z", "2024/01/01", "20240101", "2024-01-01T10:00:00"] {
            try ServiceSteps.expectValidation(try await client.call("GET", "/v1/events?start_date_filter=\(Self.encoded(bad))", token: server.adminSecret),
                                          fields: ["start_date_filter"])
            try ServiceSteps.expectValidation(try await client.call("GET", "/v1/events?end_date_filter=\(Self.encoded(bad))", token: server.adminSecret),
                                          fields: ["end_date_filter"])
        }
        let both = try await client.call("GET", "/v1/events?start_date_filter=nope&end_date_filter=2024-00-10", token: server.adminSecret)
        try ServiceSteps.expectValidation(both, fields: ["start_date_filter", "end_date_filter"])
        try ServiceSteps.expectValidation(try await client.call("GET", "/v1/events?actor_filter=nope", token: server.adminSecret), fields: ["actor_filter"])
        try ServiceSteps.expectValidation(try await client.call("GET", "/v1/events?object_filter=nope", token: server.adminSecret), fields: ["object_filter"])
    }

    @Test("Events are admin-only: members (and member service users) get 403")
    func membersAreForbidden() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let member = try await ServiceSteps.createUser(server, role: "MEMBER")
        let memberKey = try await ServiceSteps.createToken(server, label: "m", userID: member)
        let robot = try await ServiceSteps.createServiceUser(server, role: "MEMBER")
        let robotKey = try await ServiceSteps.createToken(server, label: "r", userID: robot)
        let eventID = try #require(try await Self.events(server).first?["event_id"] as? String)
        for secret in [memberKey.secret, robotKey.secret, try await ServiceSteps.exchange(server, memberKey.secret)] {
            try (try await client.call("GET", "/v1/events", token: secret)).expectError(403, "forbidden")
            try (try await client.call("GET", "/v1/events/\(eventID)", token: secret)).expectError(403, "forbidden")
        }
        // A read-only admin token may read them.
        let reader = try await ServiceSteps.createToken(server, label: "reader", level: "READ_ONLY")
        #expect(try await client.call("GET", "/v1/events/\(eventID)", token: reader.secret).status == 200)
        try ServiceSteps.expectUnauthorized(try await client.call("GET", "/v1/events"))
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
