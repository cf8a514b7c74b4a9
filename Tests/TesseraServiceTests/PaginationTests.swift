import Foundation
import HTTPTestClient
import Testing

/// Keyset pagination (PRODUCT.md §3, §5a): every row that exists for the
/// whole walk is seen exactly once even while rows are added and removed,
/// `previous` walks back over the same pages, and bad `cursor`/`page_size`
/// values are 400s naming the parameter.
@Suite("Pagination")
struct PaginationTests {
    struct Page {
        var ids: [String]
        var rows: [[String: Any]]
        var next: String?
        var previous: String?
    }

    static func page(_ server: TesseraProcess, _ path: String, idField: String, token: String? = nil,
                     sourceLocation: SourceLocation = #_sourceLocation) async throws -> Page {
        let body = try ServiceSteps.object(try await server.client.call("GET", path, token: token ?? server.adminSecret), 200, sourceLocation: sourceLocation)
        let rows = body["results"] as? [[String: Any]] ?? []
        #expect(body.keys.contains("next") && body.keys.contains("previous"), "\(body.keys)", sourceLocation: sourceLocation)
        return Page(ids: rows.compactMap { $0[idField] as? String }, rows: rows,
                    next: body["next"] as? String, previous: body["previous"] as? String)
    }

    static func query(_ cursor: String) -> String {
        cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? cursor
    }

    /// Walks forward from the first page; then walks back with `previous`
    /// from the last page and expects the same pages in reverse. The list
    /// must not change meanwhile. Returns every id in order.
    static func walkBothWays(_ server: TesseraProcess, _ base: String, size: Int, idField: String,
                             sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String] {
        let separator = base.contains("?") ? "&" : "?"
        var pages: [Page] = []
        var current = try await page(server, "\(base)\(separator)page_size=\(size)", idField: idField, sourceLocation: sourceLocation)
        #expect(current.previous == nil, "the first page has a previous cursor", sourceLocation: sourceLocation)
        pages.append(current)
        while let next = current.next, pages.count < 1000 {
            current = try await page(server, "\(base)\(separator)page_size=\(size)&cursor=\(query(next))", idField: idField, sourceLocation: sourceLocation)
            #expect(current.previous != nil, "a later page has no previous cursor", sourceLocation: sourceLocation)
            pages.append(current)
        }
        #expect(current.next == nil, sourceLocation: sourceLocation)
        for page in pages.dropLast() {
            #expect(page.ids.count == size, "a full page is short", sourceLocation: sourceLocation)
        }
        #expect(pages.last.map { !$0.ids.isEmpty && $0.ids.count <= size } == true, sourceLocation: sourceLocation)

        var index = pages.count - 1
        var back = pages[index]
        while let previous = back.previous, index > 0 {
            index -= 1
            back = try await page(server, "\(base)\(separator)page_size=\(size)&cursor=\(query(previous))", idField: idField, sourceLocation: sourceLocation)
            #expect(back.ids == pages[index].ids, "page \(index) differs walking back", sourceLocation: sourceLocation)
            #expect(back.next != nil, "a page walked back to has no next cursor", sourceLocation: sourceLocation)
        }
        #expect(index == 0, "walking back stopped at page \(index)", sourceLocation: sourceLocation)
        #expect(back.previous == nil, "walking back past the first page", sourceLocation: sourceLocation)
        let all = pages.flatMap(\.ids)
        #expect(Set(all).count == all.count, "duplicates", sourceLocation: sourceLocation)
        return all
    }

    @Test("GET /tokens: every row present throughout is seen once while rows are inserted and deleted; previous walks back")
    func tokensUnderChurn() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let admin = server.adminSecret
        let created = try await ServiceSteps.concurrently(230, width: 8) { index in
            try await client.call("POST", "/v1/tokens", token: admin,
                                  json: ServiceSteps.json(["token_label": "bulk \(index)", "access_level": "READ_ONLY"]))
        }
        #expect(created.allSatisfy { $0.status == 201 })
        let initial = try await ServiceSteps.tokenIDs(server, query: "page_size=1000")
        #expect(initial.count == 231)

        // Default and maximum page sizes.
        let defaultPage = try await Self.page(server, "/v1/tokens", idField: "token_id")
        #expect(defaultPage.ids.count == 200)
        #expect(defaultPage.ids == Array(initial.prefix(200)))
        #expect(defaultPage.next != nil && defaultPage.previous == nil)
        let whole = try await Self.page(server, "/v1/tokens?page_size=1000", idField: "token_id")
        #expect(whole.next == nil && whole.previous == nil)
        #expect(whole.ids == initial)

        // Walk with page_size 50 while adding tokens and deleting some not yet seen.
        var seen: [String] = []
        var deleted: Set<String> = []
        var inserted: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let path = "/v1/tokens?page_size=50" + (cursor.map { "&cursor=\(Self.query($0))" } ?? "")
            let page = try await Self.page(server, path, idField: "token_id")
            seen += page.ids
            cursor = page.next
            pages += 1
            // Churn between pages: 3 new tokens, and delete 4 unseen ones of the initial set.
            for round in 0 ..< 3 {
                inserted.append(try await ServiceSteps.createToken(server, label: "churn \(pages).\(round)", level: "READ_ONLY").id)
            }
            let unseen = initial.filter { !seen.contains($0) && !deleted.contains($0) && $0 != initial.first }
            for id in unseen.shuffled().prefix(4) {
                #expect(try await client.call("DELETE", "/v1/tokens/\(id)", token: admin).status == 200)
                deleted.insert(id)
            }
        } while cursor != nil && pages < 100
        #expect(cursor == nil)
        #expect(Set(seen).count == seen.count, "a token was listed twice")
        let survivors = initial.filter { !deleted.contains($0) }
        for id in survivors {
            #expect(seen.filter { $0 == id }.count == 1, "\(id) seen \(seen.filter { $0 == id }.count) times")
        }
        #expect(seen.allSatisfy { !deleted.contains($0) }, "a token deleted before its page was listed")
        #expect(Set(seen).isSubset(of: Set(initial + inserted)))
        #expect(!deleted.isEmpty && !inserted.isEmpty)
        // The order is stable: the walk agrees with one listing of the final state.
        let final = try await ServiceSteps.tokenIDs(server, query: "page_size=1000")
        #expect(seen == final.filter { Set(seen).contains($0) })
        // Oldest first: rows inserted one after another during the walk come
        // last, in the order they were made, with non-decreasing created_at.
        #expect(final.suffix(inserted.count) == ArraySlice(inserted))
        let finalRows = try await Self.page(server, "/v1/tokens?page_size=1000", idField: "token_id").rows
        let insertedTimes = finalRows.suffix(inserted.count).compactMap { ServiceSteps.date($0["created_at"]) }
        #expect(insertedTimes.count == inserted.count && insertedTimes == insertedTimes.sorted())
        let initialTimes = finalRows.prefix(finalRows.count - inserted.count).compactMap { ServiceSteps.date($0["created_at"]) }
        #expect((initialTimes.max() ?? .distantFuture) <= (insertedTimes.min() ?? .distantPast))

        // At rest: forward and back with page_size 50.
        let walked = try await Self.walkBothWays(server, "/v1/tokens", size: 50, idField: "token_id")
        #expect(walked == final)
        // Filters and cursors together.
        let member = try await ServiceSteps.createUser(server, role: "MEMBER")
        for index in 0 ..< 5 { _ = try await ServiceSteps.createToken(server, label: "m\(index)", userID: member) }
        let filtered = try await Self.walkBothWays(server, "/v1/tokens?user_id=\(member)", size: 2, idField: "token_id")
        #expect(filtered.count == 5)
    }

    @Test("GET /users and GET /service-users page with cursors both ways")
    func usersAndServiceUsers() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let admin = server.adminSecret
        let people = try await ServiceSteps.concurrently(25, width: 8) { index in
            try await client.call("POST", "/v1/users", token: admin,
                                  json: ServiceSteps.json(["email": "p\(index)@example.com", "full_name": "Person \(index)", "role": "MEMBER"]))
        }
        let machines = try await ServiceSteps.concurrently(25, width: 8) { index in
            try await client.call("POST", "/v1/service-users", token: admin, json: ServiceSteps.json(["name": "machine \(index)", "role": "MEMBER"]))
        }
        let personIDs = try people.map { try ServiceSteps.object($0, 201)["user_id"] as? String ?? "" }
        let machineIDs = try machines.map { try ServiceSteps.object($0, 201)["user_id"] as? String ?? "" }
        let adminID = try await ServiceSteps.userID(server, admin)

        let users = try await Self.walkBothWays(server, "/v1/users", size: 7, idField: "user_id")
        #expect(Set(users) == Set(personIDs + [adminID]))
        #expect(users.first == adminID, "oldest first")
        let serviceUsers = try await Self.walkBothWays(server, "/v1/service-users", size: 7, idField: "user_id")
        #expect(Set(serviceUsers) == Set(machineIDs))
        #expect(try await Self.page(server, "/v1/users", idField: "user_id").ids.count == 26)
        #expect(try await Self.page(server, "/v1/service-users", idField: "user_id").ids.count == 25)
        // Members may page through users too.
        let member = try await ServiceSteps.createToken(server, label: "reader", userID: personIDs[0])
        let memberPage = try await Self.page(server, "/v1/users?page_size=5", idField: "user_id", token: member.secret)
        #expect(memberPage.ids == Array(users.prefix(5)))
        let memberNext = try #require(memberPage.next)
        let second = try await Self.page(server, "/v1/users?page_size=5&cursor=\(Self.query(memberNext))", idField: "user_id", token: member.secret)
        #expect(second.ids == Array(users.dropFirst(5).prefix(5)))
    }

    static func base64URL(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    @Test("A malformed cursor is a 400 naming cursor; page_size outside 1...1000 a 400 naming page_size", arguments: [
        "/v1/tokens", "/v1/users", "/v1/service-users", "/v1/events",
    ])
    func malformedParameters(path: String) async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        // A real cursor to forge from.
        for index in 0 ..< 3 { _ = try await ServiceSteps.createServiceUser(server, role: "MEMBER", name: "s\(index)") }
        _ = try await ServiceSteps.createUser(server, role: "MEMBER")
        _ = try await ServiceSteps.createToken(server, label: "one more")
        let first = try await Self.page(server, "\(path)?page_size=1", idField: "x")
        let real = try #require(first.next)
        #expect(try await client.call("GET", "\(path)?page_size=1&cursor=\(Self.query(real))", token: server.adminSecret).status == 200)

        let cursors = [
            "not a cursor!",
            "garbage",
            Self.base64URL("junk"),
            Data("junk bytes".utf8).base64EncodedString(),
            "-1",
            Self.base64URL("v1:a:-1"),
            Self.base64URL("v1:b:-5"),
            Self.base64URL("v1:a:99999999999999999999999999"),
            String(repeating: "A", count: 5000),
            Self.base64URL("v2:a:1"),
            Self.base64URL("v1:x:1"),
            Self.base64URL("v1:a:1:2"),
            real + "!",
            String(real.dropLast()) + "*",
        ]
        for cursor in cursors {
            let response = try await client.call("GET", "\(path)?cursor=\(Self.query(cursor))", token: server.adminSecret)
            try ServiceSteps.expectValidation(response, fields: ["cursor"])
        }
        for size in ["0", "1001", "-1", "abc", "1.5", "99999999999999999999"] {
            let response = try await client.call("GET", "\(path)?page_size=\(size)", token: server.adminSecret)
            try ServiceSteps.expectValidation(response, fields: ["page_size"])
        }
        // Both at once: both named.
        let both = try await client.call("GET", "\(path)?page_size=0&cursor=junk", token: server.adminSecret)
        try ServiceSteps.expectValidation(both, fields: ["page_size"])
        // The bounds themselves are fine.
        for size in ["1", "1000"] {
            #expect(try await client.call("GET", "\(path)?page_size=\(size)", token: server.adminSecret).status == 200)
        }
    }
}

extension PaginationTests {
    @Test("GET /tokens?newest_first=true: the same tokens in the reverse order, with keyset pages both ways")
    func tokensNewestFirst() async throws {
        let server = try await TesseraProcess.start()
        for index in 0..<12 {
            _ = try await ServiceSteps.createToken(server, label: "token \(index)")
        }
        let oldestFirst = try await Self.walkBothWays(server, "/v1/tokens", size: 5, idField: "token_id")
        let newestFirst = try await Self.walkBothWays(server, "/v1/tokens?newest_first=true", size: 5, idField: "token_id")
        #expect(oldestFirst.count == 13)
        #expect(newestFirst == Array(oldestFirst.reversed()))
        let explicit = try await Self.walkBothWays(server, "/v1/tokens?newest_first=false", size: 5, idField: "token_id")
        #expect(explicit == oldestFirst)
        let invalid = try await server.client.call("GET", "/v1/tokens?newest_first=maybe", token: server.adminSecret)
        try invalid.expectError(400, "validation_error")
        #expect(invalid.text.contains("newest_first"), "\(invalid.text)")
    }
}
