import Foundation
import Testing
import TesseraStore

/// Every rule of the storage protocol, run against each backend by the
/// same test function (`Backend.allCases`).
@Suite("Store rules on SQLite and PostgreSQL")
struct StoreTests {
    @Test("Tokens: create, read, list by owner and ids, keyset pages with identical cursors", arguments: Backend.allCases)
    func tokensAndPages(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let admin = try await store.admin()
            let other = try await store.createUser(NewUser(email: "m@example.com", fullName: "M", role: .member), actor: nil, at: now)
            var tokens: [TokenRecord] = []
            for index in 0..<5 {
                tokens.append(try await store.personalToken(for: index == 4 ? other : admin, label: "t\(index)"))
            }
            #expect(try await store.token(id: tokens[0].id) == tokens[0])
            #expect(try await store.token(id: UUID()) == nil)
            #expect(tokens.map(\.createdAt) == tokens.map(\.createdAt).sorted())

            // Fresh databases number rows from 1 on both backends, so the
            // cursors are the same text: base64url of "v1:a:2" and so on.
            let first = try await store.tokens(userID: nil, ids: nil, page: PageRequest(cursor: nil, size: 2))
            #expect(first.items.map(\.id) == tokens[0..<2].map(\.id))
            #expect(first.next == "djE6YToy" && first.previous == nil)
            let second = try await store.tokens(userID: nil, ids: nil, page: PageRequest(cursor: PageCursor(text: first.next!), size: 2))
            #expect(second.items.map(\.id) == tokens[2..<4].map(\.id))
            #expect(second.next == "djE6YTo0" && second.previous == "djE6Yjoz")
            let last = try await store.tokens(userID: nil, ids: nil, page: PageRequest(cursor: PageCursor(text: second.next!), size: 2))
            #expect(last.items.map(\.id) == [tokens[4].id])
            #expect(last.next == nil && last.previous == "djE6Yjo1")
            let back = try await store.tokens(userID: nil, ids: nil, page: PageRequest(cursor: PageCursor(text: second.previous!), size: 2))
            #expect(back.items.map(\.id) == tokens[0..<2].map(\.id))
            #expect(back.next == "djE6YToy" && back.previous == nil)

            let mine = try await store.tokens(userID: admin.id, ids: nil, page: PageRequest(cursor: nil, size: 50))
            #expect(mine.items.map(\.id) == tokens[0..<4].map(\.id))
            let picked = try await store.tokens(userID: nil, ids: [tokens[3].id, tokens[1].id, UUID()], page: PageRequest(cursor: nil, size: 50))
            #expect(picked.items.map(\.id) == [tokens[1].id, tokens[3].id])
            #expect(try await store.tokens(userID: nil, ids: [], page: PageRequest(cursor: nil, size: 50)).items.isEmpty)

            let people = try await store.users(kind: .user, page: PageRequest(cursor: nil, size: 1))
            #expect(people.items.map(\.id) == [admin.id] && people.next == "djE6YTox")
            #expect(try await store.users(kind: .serviceUser, page: PageRequest(cursor: nil, size: 1)).items.isEmpty)

            let relabelled = try await store.updateTokenLabel(id: tokens[0].id, label: "renamed", actor: someActor(admin.id), at: now)
            #expect(relabelled.label == "renamed")
            #expect(await failure { _ = try await store.updateTokenLabel(id: UUID(), label: "x", actor: someActor(), at: now) } as? StoreError == .notFound)
            let deleted = try await store.deleteToken(id: tokens[1].id, actor: someActor(admin.id), at: now)
            #expect(deleted.id == tokens[1].id)
            #expect(try await store.token(id: tokens[1].id) == nil)
        }
    }

    @Test("Credentials: a token's or an access token's digest finds it, its owner and its parent", arguments: Backend.allCases)
    func credentials(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let admin = try await store.admin()
            let secret = digest()
            let token = try await store.personalToken(for: admin, digest: secret)
            let found = try #require(try await store.credential(digest: secret, access: false))
            #expect(found.token == token && found.user.id == admin.id && found.accessToken == nil)
            #expect(try await store.credential(digest: secret, access: true) == nil)
            #expect(try await store.credential(digest: digest(), access: false) == nil)

            let service = try await store.createServiceUser(name: "ci", description: "", role: .member, actor: someActor(admin.id), at: now)
            let keySecret = digest()
            let key = try await store.serviceKey(for: service, digest: keySecret)
            let accessSecret = digest()
            let exchanged = try await store.createAccessToken(parentID: key.id, parentDigest: keySecret, digest: accessSecret, preview: "ACCES",
                                                              expiresAt: now + 60_000, actor: someActor(service.id), at: now)
            #expect(exchanged.revoked.isEmpty)
            let access = try #require(try await store.credential(digest: accessSecret, access: true))
            #expect(access.token.id == key.id && access.user.id == service.id && access.accessToken == exchanged.token)
            // An exchange with a stale secret (or unknown key) stores nothing.
            #expect(await failure {
                _ = try await store.createAccessToken(parentID: key.id, parentDigest: digest(), digest: digest(), preview: "x",
                                                      expiresAt: now + 60_000, actor: someActor(), at: now)
            } as? StoreError == .notFound)
            // A people's token is tsp, a service user's key tss.
            #expect(await failure { _ = try await store.serviceKey(for: admin) } as? StoreError == .userUnavailable)
            #expect(await failure { _ = try await store.personalToken(for: service) } as? StoreError == .userUnavailable)
            // Deleting the service user takes its keys and their access tokens.
            _ = try await store.deleteServiceUser(id: service.id, actor: someActor(admin.id), at: now)
            #expect(try await store.credential(digest: keySecret, access: false) == nil)
            #expect(try await store.credential(digest: accessSecret, access: true) == nil)
        }
    }

    @Test("Regeneration: a stale digest, a stamp not before the claim, or an overlap lose; exactly one of 10 concurrent wins",
          arguments: Backend.allCases)
    func regenerationClaims(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let admin = try await store.admin()
            let original = digest()
            let token = try await store.personalToken(for: admin, digest: original)
            let service = try await store.createServiceUser(name: "svc", description: "", role: .member, actor: someActor(), at: now)
            let keySecret = digest()
            let key = try await store.serviceKey(for: service, digest: keySecret)
            let accessSecret = digest()
            _ = try await store.createAccessToken(parentID: key.id, parentDigest: keySecret, digest: accessSecret, preview: "ACCES",
                                                  expiresAt: now + 60_000, actor: someActor(), at: now)
            let began: Int64 = 1_000_000
            let stamps = Stamps()
            func claim(_ replacing: [UInt8], began: Int64, stampingAt stamp: Int64, overlaps: Bool = false) -> RegenerationClaim {
                RegenerationClaim(replacing: replacing, began: began, overlaps: { _ in overlaps }, stamping: { stamps.add($0) }, now: { stamp })
            }
            @Sendable func regenerate(_ id: UUID, _ claim: RegenerationClaim, to secret: [UInt8], grace: GracePeriod? = nil) async throws -> TokenRecord {
                try await store.regenerateToken(id: id, claim: claim, digest: secret, preview: "NEWPV", grace: grace,
                                                actor: someActor(admin.id), at: now)
            }

            #expect(await failure { _ = try await regenerate(token.id, claim(digest(), began: began, stampingAt: began + 10), to: digest()) }
                    as? StoreError == .changedConcurrently)
            #expect(await failure { _ = try await regenerate(UUID(), claim(original, began: began, stampingAt: began + 10), to: digest()) }
                    as? StoreError == .notFound)
            let second = digest()
            let regenerated = try await regenerate(token.id, claim(original, began: began, stampingAt: began + 100), to: second)
            #expect(regenerated.id == token.id && regenerated.label == token.label && regenerated.digest == second && regenerated.preview == "NEWPV")
            #expect(stamps.all == [began + 100])
            #expect(try await store.credential(digest: original, access: false) == nil)
            // The stamp rule: a claim that began at or before the last change loses.
            #expect(await failure { _ = try await regenerate(token.id, claim(second, began: began + 100, stampingAt: began + 200), to: digest()) }
                    as? StoreError == .changedConcurrently)
            // An overlap with the change before loses too.
            #expect(await failure {
                _ = try await regenerate(token.id, claim(second, began: began + 101, stampingAt: began + 200, overlaps: true), to: digest())
            } as? StoreError == .changedConcurrently)
            let third = digest()
            _ = try await regenerate(token.id, claim(second, began: began + 101, stampingAt: began + 200), to: third)
            #expect(stamps.all == [began + 100, began + 200])

            // A key's access tokens die with its old secret.
            _ = try await regenerate(key.id, claim(keySecret, began: began, stampingAt: began + 1), to: digest())
            #expect(try await store.credential(digest: accessSecret, access: true) == nil)

            // Ten regenerations that read the same secret at the same time: one wins.
            let clock = Stamps()
            let results = await concurrently(10) { _ in
                let claim = RegenerationClaim(replacing: third, began: began + 300, overlaps: { _ in false }, stamping: { _ in },
                                              now: { clock.next(after: began + 300) })
                return (try? await regenerate(token.id, claim, to: digest())) != nil
            }
            #expect(results.filter { $0 }.count == 1)
        }
    }

    @Test("Rotation with a grace period: the previous secret is found (marked) until replaced again; its access tokens are capped",
          arguments: Backend.allCases)
    func gracePeriod(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let admin = try await store.admin()
            let service = try await store.createServiceUser(name: "svc", description: "", role: .member, actor: someActor(), at: now)
            let first = digest()
            let key = try await store.serviceKey(for: service, digest: first)
            let access = digest()
            _ = try await store.createAccessToken(parentID: key.id, parentDigest: first, digest: access, preview: "ACCES",
                                                  expiresAt: now + 3_600_000, actor: someActor(), at: now)
            func claim(_ replacing: [UInt8], _ stamp: Int64) -> RegenerationClaim {
                RegenerationClaim(replacing: replacing, began: stamp, overlaps: { _ in false }, stamping: { _ in }, now: { stamp })
            }
            let second = digest()
            let rotated = try await store.regenerateToken(id: key.id, claim: claim(first, 1_000), digest: second, preview: "SECND",
                                                          grace: GracePeriod(seconds: 60, until: now + 60_000),
                                                          actor: someActor(admin.id), at: now)
            #expect(rotated.previousSecretExpiresAt == now + 60_000)
            let previous = try #require(try await store.credential(digest: first, access: false))
            #expect(previous.isPreviousSecret && previous.token.id == key.id && previous.token.previousSecretExpiresAt == now + 60_000)
            #expect(try await store.credential(digest: second, access: false)?.isPreviousSecret == false)
            // Access tokens from before live on, capped at the grace period.
            #expect(try await store.credential(digest: access, access: true)?.accessToken?.expiresAt == now + 60_000)
            // The previous secret may still be exchanged within its grace period, not after it.
            _ = try await store.createAccessToken(parentID: key.id, parentDigest: first, digest: digest(), preview: "GRACE",
                                                  expiresAt: now + 60_000, actor: someActor(), at: now + 1)
            #expect(await failure {
                _ = try await store.createAccessToken(parentID: key.id, parentDigest: first, digest: digest(), preview: "LATE",
                                                      expiresAt: now + 120_000, actor: someActor(), at: now + 60_000)
            } as? StoreError == .notFound)
            // A second regeneration ends the first grace period at once.
            let third = digest()
            let again = try await store.regenerateToken(id: key.id, claim: claim(second, 2_000), digest: third, preview: "THIRD",
                                                        grace: nil, actor: someActor(admin.id), at: now)
            #expect(again.previousSecretExpiresAt == nil)
            #expect(try await store.credential(digest: first, access: false) == nil)
            #expect(try await store.credential(digest: second, access: false) == nil)
            #expect(try await store.credential(digest: access, access: true) == nil)
        }
    }

    @Test("A service user holds at most 2 live keys: of 20 concurrent creations exactly 2 succeed", arguments: Backend.allCases)
    func liveKeyLimit(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let service = try await store.createServiceUser(name: "svc", description: "", role: .member, actor: someActor(), at: now)
            let outcomes = await concurrently(20) { _ in await failure { _ = try await store.serviceKey(for: service) } }
            #expect(outcomes.filter { $0 == nil }.count == 2)
            #expect(outcomes.compactMap { $0 as? StoreError }.filter { $0 == .liveKeyLimit(limit: 2) }.count == 18)
            #expect(try await store.tokens(userID: service.id, ids: nil, page: PageRequest(cursor: nil, size: 50)).items.count == 2)
        }
    }

    @Test("Creation times: the caller's time, or the store's clock read inside the write when that is later; never the system's",
          arguments: Backend.allCases)
    func creationTimesFollowTheGivenClock(_ backend: Backend) async throws {
        // A clock far from the real one: whatever the store stamps comes
        // from it or from the caller, never from Date().
        let ticks = Ticks(start: 4_102_444_800_000)  // 2100-01-01
        try await backend.withStore(clock: TesseraClock { ticks.next() }) { store in
            let early = try await store.admin()
            #expect(early.createdAt >= 4_102_444_800_000 && early.createdAt < 4_102_444_800_000 + 100)
            let late = try await store.createUser(NewUser(email: "late@example.com", fullName: "L", role: .member), actor: nil,
                                                  at: 5_000_000_000_000)
            #expect(late.createdAt == 5_000_000_000_000)
            let token = try await store.personalToken(for: early)
            let key = try await store.serviceKey(for: try await store.createServiceUser(
                name: "ci", description: "", role: .member, actor: someActor(early.id), at: 1))
            #expect(token.createdAt > early.createdAt && token.createdAt < 4_102_444_800_000 + 100)
            #expect(key.createdAt > token.createdAt)
            // List order and creation order agree.
            let users = try await store.users(kind: .user, page: PageRequest(cursor: nil, size: 10)).items
            #expect(users.map(\.id) == [early.id, late.id])
        }
    }

    @Test("The last active admin cannot be deactivated, even by concurrent deactivations of the last two", arguments: Backend.allCases)
    func lastActiveAdmin(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let first = try await store.admin("a@example.com")
            let second = try await store.admin("b@example.com")
            let member = try await store.createUser(NewUser(email: "m@example.com", fullName: "M", role: .member), actor: nil, at: now)
            let outcomes = await concurrently(10) { index in
                let id = index.isMultiple(of: 2) ? first.id : second.id
                return (id, await failure { _ = try await store.deactivateUser(id: id, actor: someActor(), at: now) })
            }
            let deactivated = Set(outcomes.filter { $0.1 == nil }.map(\.0))
            #expect(deactivated.count == 1)
            #expect(outcomes.allSatisfy { $0.1 == nil || $0.1 as? StoreError == .lastActiveAdmin })
            let remaining = try #require(try await store.firstActiveAdmin())
            #expect(!deactivated.contains(remaining.id))
            #expect(await failure { _ = try await store.deactivateUser(id: remaining.id, actor: someActor(), at: now) } as? StoreError == .lastActiveAdmin)
            // Members go; twice is a no-op; service users and strangers are not found.
            let gone = try await store.deactivateUser(id: member.id, actor: someActor(), at: now)
            #expect(gone.deactivatedAt == now && !gone.isActive)
            #expect(try await store.deactivateUser(id: member.id, actor: someActor(), at: now + 5).deactivatedAt == now)
            #expect(await failure { _ = try await store.deactivateUser(id: UUID(), actor: someActor(), at: now) } as? StoreError == .notFound)
            #expect(await failure { _ = try await store.personalToken(for: member) } as? StoreError == .userUnavailable)
        }
    }

    @Test("Emails are unique ignoring case, also under concurrent creation", arguments: Backend.allCases)
    func duplicateEmail(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let ada = try await store.createUser(NewUser(email: "Ada@Example.com", fullName: "Ada", role: .member), actor: nil, at: now)
            #expect(await failure {
                _ = try await store.createUser(NewUser(email: "ada@example.COM", fullName: "Ada 2", role: .member), actor: nil, at: now)
            } as? StoreError == .duplicate(field: "email"))
            #expect(try await store.user(email: "ADA@example.com")?.id == ada.id)
            #expect(try await store.user(email: "nobody@example.com") == nil)
            let outcomes = await concurrently(10) { index in
                let email = index.isMultiple(of: 2) ? "grace@example.com" : "GRACE@example.com"
                return await failure { _ = try await store.createUser(NewUser(email: email, fullName: "G", role: .member), actor: nil, at: now) }
            }
            #expect(outcomes.filter { $0 == nil }.count == 1)
            #expect(outcomes.compactMap { $0 as? StoreError }.filter { $0 == .duplicate(field: "email") }.count == 9)
        }
    }

    @Test("A key holds at most 100 live access tokens: the 101st exchange revokes the oldest and returns its digest",
          arguments: Backend.allCases)
    func accessTokenCap(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let service = try await store.createServiceUser(name: "svc", description: "", role: .member, actor: someActor(), at: now)
            let keySecret = digest()
            let key = try await store.serviceKey(for: service, digest: keySecret)
            var secrets: [[UInt8]] = []
            for _ in 0...StoreLimits.accessTokenLimit {
                let secret = digest()
                secrets.append(secret)
                let result = try await store.createAccessToken(parentID: key.id, parentDigest: keySecret, digest: secret, preview: "ACCES",
                                                               expiresAt: now + 600_000, actor: someActor(), at: now)
                #expect(result.revoked == (secrets.count > StoreLimits.accessTokenLimit ? [secrets[0]] : []))
            }
            #expect(try await store.credential(digest: secrets[0], access: true) == nil)
            #expect(try await store.credential(digest: secrets[1], access: true) != nil)
            #expect(try await store.credential(digest: secrets[100], access: true) != nil)

            // Expired access tokens are pruned.
            _ = try await store.createAccessToken(parentID: key.id, parentDigest: keySecret, digest: digest(), preview: "OLDPV",
                                                  expiresAt: now - 1_000, actor: someActor(), at: now - 2_000)
            #expect(try await store.pruneExpiredAccessTokens(now: now) >= 1)
            #expect(try await store.pruneExpiredAccessTokens(now: now) == 0)
        }
    }

    @Test("Events: every change records one, newest first, each filter, pruning by age in batches", arguments: Backend.allCases)
    func eventsAndPruning(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let admin = try await store.admin()
            let actor = someActor(admin.id, tokenName: "deploy", tokenPreview: "XYZ12")
            let token = try await store.createToken(NewToken(kind: .personal, userID: admin.id, creatorUserID: admin.id, label: "a",
                                                             accessLevel: .readOnly, digest: digest(), preview: "P", expiresAt: nil),
                                                    actor: actor, at: now)
            _ = try await store.updateTokenLabel(id: token.id, label: "b", actor: actor, at: 1_000)
            _ = try await store.updateTokenLabel(id: token.id, label: "c", actor: someActor(admin.id), at: 2_000)
            let all = try await store.events(EventFilter(), page: PageRequest(cursor: nil, size: 50))
            #expect(all.items.map(\.eventType.rawValue) == ["API_TOKEN_UPDATED", "API_TOKEN_UPDATED", "API_TOKEN_CREATED", "USERS_CREATED"])
            #expect(all.items[0].objectName == "c" && all.items[0].createdAt == 2_000)
            let event = try #require(all.items.first)
            #expect(try await store.event(id: event.id) == event)
            #expect(try await store.event(id: UUID()) == nil)

            func types(_ filter: EventFilter) async throws -> [String] {
                try await store.events(filter, page: PageRequest(cursor: nil, size: 50)).items.map(\.eventType.rawValue)
            }
            #expect(try await types(EventFilter(eventType: EventType(rawValue: "API_TOKEN_CREATED"))) == ["API_TOKEN_CREATED"])
            #expect(try await types(EventFilter(objectID: token.id)).count == 3)
            #expect(try await types(EventFilter(tokenName: "deploy", tokenPreview: "XYZ12")) == ["API_TOKEN_UPDATED", "API_TOKEN_CREATED"])
            #expect(try await types(EventFilter(start: 1_000, end: 2_000)) == ["API_TOKEN_UPDATED", "API_TOKEN_UPDATED"])
            #expect(try await types(EventFilter(start: 1_001, end: 2_000, actorUserID: admin.id)).count == 1)
            #expect(try await types(EventFilter(actorUserID: UUID())).isEmpty)

            let newest = try await store.events(EventFilter(), page: PageRequest(cursor: nil, size: 1))
            #expect(newest.next == "djE6YTo0" && newest.previous == nil)

            // (Creations are stamped no earlier than the clock at the write.)
            let later = Date().milliseconds + 60_000
            #expect(try await store.pruneEvents(before: 1_500, limit: 10) == 1)
            #expect(try await store.pruneEvents(before: later, limit: 2) == 2)
            #expect(try await store.pruneEvents(before: later, limit: 2) == 1)
            #expect(try await store.pruneEvents(before: later) == 0)
        }
    }

    @Test("Settings: defaults, an update in one transaction with its event", arguments: Backend.allCases)
    func settings(_ backend: Backend) async throws {
        try await backend.withStore { store in
            #expect(try await store.settings() == SettingsRecord())
            let updated = try await store.updateSettings(actor: someActor(), at: now) { settings in
                settings.allowAllUsersToCreatePATs = true
                settings.maxTokenLifetimeDays = 30
                settings.accessTokenTTLSeconds = 120
                settings.eventRetentionDays = nil
            }
            let expected = SettingsRecord(allowAllUsersToCreatePATs: true, maxTokenLifetimeDays: 30, accessTokenTTLSeconds: 120,
                                          eventRetentionDays: nil)
            #expect(updated == expected)
            #expect(try await store.settings() == expected)
            #expect(try await store.events(EventFilter(eventType: EventType(rawValue: "SETTINGS_UPDATED")), page: PageRequest(cursor: nil, size: 5)).items.count == 1)
        }
    }

    @Test("flushLastUsed never moves last_used_at backwards and ignores unknown tokens", arguments: Backend.allCases)
    func lastUsedNeverBackwards(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let admin = try await store.admin()
            let first = try await store.personalToken(for: admin)
            let second = try await store.personalToken(for: admin)
            try await store.flushLastUsed([first.id: 5_000, second.id: 7_000], now: now)
            try await store.flushLastUsed([first.id: 4_000, UUID(): 1], now: now)
            #expect(try await store.token(id: first.id)?.lastUsedAt == 5_000)
            try await store.flushLastUsed([first.id: 6_000], now: now)
            #expect(try await store.token(id: first.id)?.lastUsedAt == 6_000)
            #expect(try await store.token(id: second.id)?.lastUsedAt == 7_000)
            try await store.flushLastUsed([UUID: TokenUse](), now: now)
        }
    }

    @Test("flushLastUsed merges last_used_ips: newest first, distinct, at most 5; read back by every query", arguments: Backend.allCases)
    func lastUsedIPs(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let admin = try await store.admin()
            let keySecret = digest()
            let token = try await store.personalToken(for: admin, digest: keySecret)
            let other = try await store.personalToken(for: admin)
            #expect(token.lastUsedIPs == [])
            func ips(_ id: UUID) async throws -> [String] { try #require(try await store.token(id: id)).lastUsedIPs }

            try await store.flushLastUsed([token.id: TokenUse(time: 1_000, addresses: ["127.0.0.1"])], now: now)
            #expect(try await ips(token.id) == ["127.0.0.1"])
            // New ones go in front; one seen again moves to the front, once.
            try await store.flushLastUsed([token.id: TokenUse(time: 2_000, addresses: ["::1", "10.0.0.2"]),
                                           other.id: TokenUse(time: 2_000, addresses: ["192.0.2.1"])], now: now)
            #expect(try await ips(token.id) == ["::1", "10.0.0.2", "127.0.0.1"])
            try await store.flushLastUsed([token.id: TokenUse(time: 3_000, addresses: ["127.0.0.1"])], now: now)
            #expect(try await ips(token.id) == ["127.0.0.1", "::1", "10.0.0.2"])
            // A time alone (or an older time) keeps the list; the time never goes back.
            try await store.flushLastUsed([token.id: TokenUse(time: 2_500)], now: now)
            #expect(try await ips(token.id) == ["127.0.0.1", "::1", "10.0.0.2"])
            try await store.flushLastUsed([token.id: TokenUse(time: 2_600, addresses: ["10.0.0.2"])], now: now)
            #expect(try await store.token(id: token.id)?.lastUsedAt == 3_000)
            #expect(try await ips(token.id) == ["10.0.0.2", "127.0.0.1", "::1"])
            // At most 5: the oldest go first; nothing but the cap drops one.
            try await store.flushLastUsed([token.id: TokenUse(time: 4_000, addresses: ["198.51.100.1", "198.51.100.2", "2001:db8::3"])], now: now)
            #expect(try await ips(token.id) == ["198.51.100.1", "198.51.100.2", "2001:db8::3", "10.0.0.2", "127.0.0.1"])
            // Text that is no address (empty, or holding the separator) is never stored.
            try await store.flushLastUsed([token.id: TokenUse(time: 4_000, addresses: ["", "1.2.3.4,5.6.7.8"])], now: now)
            #expect(try await ips(token.id) == ["198.51.100.1", "198.51.100.2", "2001:db8::3", "10.0.0.2", "127.0.0.1"])
            #expect(try await ips(other.id) == ["192.0.2.1"])
            // Unknown tokens are ignored.
            try await store.flushLastUsed([UUID(): TokenUse(time: 1, addresses: ["192.0.2.9"])], now: now)

            // Every read returns it: credentials (both joins) and lists.
            #expect(try await store.credential(digest: keySecret, access: false)?.token.lastUsedIPs.first == "198.51.100.1")
            #expect(try await store.credential(digest: keySecret, access: false)?.user.id == admin.id)
            let accessSecret = digest()
            _ = try await store.createAccessToken(parentID: token.id, parentDigest: keySecret, digest: accessSecret, preview: "ACCES",
                                                  expiresAt: now + 60_000, actor: someActor(admin.id), at: now)
            let access = try #require(try await store.credential(digest: accessSecret, access: true))
            #expect(access.token.lastUsedIPs.count == 5 && access.user.id == admin.id && access.user.email == admin.email)
            let listed = try await store.tokens(userID: nil, ids: [other.id], page: PageRequest(cursor: nil, size: 5))
            #expect(listed.items.map(\.lastUsedIPs) == [["192.0.2.1"]])

            // Concurrent flushes (several instances) lose no address but to the cap.
            let fresh = try await store.personalToken(for: admin)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<4 {
                    group.addTask { try await store.flushLastUsed([fresh.id: TokenUse(time: 5_000, addresses: ["10.1.0.\(index)"])], now: now) }
                }
                try await group.waitForAll()
            }
            #expect(try await Set(ips(fresh.id)) == Set((0..<4).map { "10.1.0.\($0)" }))
        }
    }
}

/// Thread-safe recorded stamps and a strictly increasing clock.
final class Stamps: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int64] = []
    private var last: Int64 = 0

    func add(_ value: Int64) { lock.withLock { values.append(value) } }
    var all: [Int64] { lock.withLock { values } }

    func next(after floor: Int64) -> Int64 {
        lock.withLock {
            last = max(last, floor) + 1
            return last
        }
    }
}
