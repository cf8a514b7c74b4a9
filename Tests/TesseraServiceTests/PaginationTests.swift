import APIRuntime
import Foundation
import HTTPTestClient
import TesseraClient
import Testing

/// Keyset pagination (PRODUCT.md §3, §5a): every row that exists for the
/// whole walk is seen exactly once even while rows are added and removed,
/// `previous` walks back over the same pages, and bad `cursor`/`page_size`
/// values are 400s naming the parameter.
@Suite("Pagination")
struct PaginationTests {
    struct Page {
        var ids: [UUID]
        var next: String?
        var previous: String?
    }

    /// One page of `path` (a raw request: the query is the test's, defaults
    /// and encoded cursors included), its answer read by the generated
    /// client's rules as `List`.
    static func page<List: ListPage>(_ server: TesseraProcess, _ path: String, as list: List.Type, token: String? = nil,
                                     sourceLocation: SourceLocation = #_sourceLocation) async throws -> Page {
        let response = try await server.client.call("GET", path, token: token ?? server.adminSecret)
        let body = try ServiceSteps.decode(List.self, response, 200, sourceLocation: sourceLocation)
        // Both cursors are always there, null when there is no such page.
        #expect(body.next != nil && body.previous != nil, "\(response.text.prefix(300))", sourceLocation: sourceLocation)
        return Page(ids: body.ids, next: body.next ?? nil, previous: body.previous ?? nil)
    }

    static func query(_ cursor: String) -> String {
        cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? cursor
    }

    /// Walks forward from the first page; then walks back with `previous`
    /// from the last page and expects the same pages in reverse. The list
    /// must not change meanwhile. Returns every id in order.
    static func walkBothWays<List: ListPage>(_ server: TesseraProcess, _ base: String, size: Int, as list: List.Type,
                                             sourceLocation: SourceLocation = #_sourceLocation) async throws -> [UUID] {
        let separator = base.contains("?") ? "&" : "?"
        var pages: [Page] = []
        var current = try await page(server, "\(base)\(separator)page_size=\(size)", as: list, sourceLocation: sourceLocation)
        #expect(current.previous == nil, "the first page has a previous cursor", sourceLocation: sourceLocation)
        pages.append(current)
        while let next = current.next, pages.count < 1000 {
            current = try await page(server, "\(base)\(separator)page_size=\(size)&cursor=\(query(next))", as: list, sourceLocation: sourceLocation)
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
            back = try await page(server, "\(base)\(separator)page_size=\(size)&cursor=\(query(previous))", as: list, sourceLocation: sourceLocation)
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
        let admin = server.adminAPI
        let tokens = Schemas.PaginatedTokensList.self
        let created = try await ServiceSteps.concurrently(230, width: 8) { index in
            try await admin.createToken(.init(body: .init(tokenLabel: "bulk \(index)", accessLevel: .readOnly)))
        }
        #expect(created.allSatisfy { if case .created = $0 { true } else { false } })
        let initial = try await ServiceSteps.listed(server)
        #expect(initial.count == 231)

        // Default and maximum page sizes.
        let defaultPage = try await Self.page(server, "/v1/tokens", as: tokens)
        #expect(defaultPage.ids.count == 200)
        #expect(defaultPage.ids == Array(initial.prefix(200)))
        #expect(defaultPage.next != nil && defaultPage.previous == nil)
        let whole = try await Self.page(server, "/v1/tokens?page_size=1000", as: tokens)
        #expect(whole.next == nil && whole.previous == nil)
        #expect(whole.ids == initial)

        // Walk with page_size 50 while adding tokens and deleting some not yet seen.
        var seen: [UUID] = []
        var deleted: Set<UUID> = []
        var inserted: [UUID] = []
        var cursor: String?
        var pages = 0
        repeat {
            let path = "/v1/tokens?page_size=50" + (cursor.map { "&cursor=\(Self.query($0))" } ?? "")
            let page = try await Self.page(server, path, as: tokens)
            seen += page.ids
            cursor = page.next
            pages += 1
            // Churn between pages: 3 new tokens, and delete 4 unseen ones of the initial set.
            for round in 0 ..< 3 {
                inserted.append(try await ServiceSteps.newToken(server, label: "churn \(pages).\(round)", level: .readOnly).token.tokenID)
            }
            let unseen = initial.filter { !seen.contains($0) && !deleted.contains($0) && $0 != initial.first }
            for id in unseen.shuffled().prefix(4) {
                let deletion = try await admin.deleteToken(.init(tokenID: id))
                guard case .ok = deletion else { throw Unexpected(deletion, "200") }
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
        let finalRows = try await ServiceSteps.listedTokens(server)
        let final = finalRows.map(\.tokenID)
        #expect(seen == final.filter { Set(seen).contains($0) })
        // Oldest first: rows inserted one after another during the walk come
        // last, in the order they were made, with non-decreasing created_at.
        #expect(final.suffix(inserted.count) == ArraySlice(inserted))
        let insertedTimes = finalRows.suffix(inserted.count).map(\.createdAt)
        #expect(insertedTimes == insertedTimes.sorted())
        let initialTimes = finalRows.prefix(finalRows.count - inserted.count).map(\.createdAt)
        #expect((initialTimes.max() ?? .distantFuture) <= (insertedTimes.min() ?? .distantPast))

        // At rest: forward and back with page_size 50.
        let walked = try await Self.walkBothWays(server, "/v1/tokens", size: 50, as: tokens)
        #expect(walked == final)
        // Filters and cursors together.
        let member = try await ServiceSteps.newUser(server, role: .member)
        for index in 0 ..< 5 { _ = try await ServiceSteps.newToken(server, label: "m\(index)", userID: member) }
        let filtered = try await Self.walkBothWays(server, "/v1/tokens?user_id=\(member.uuidString.lowercased())", size: 2, as: tokens)
        #expect(filtered.count == 5)
    }

    @Test("GET /users and GET /service-users page with cursors both ways")
    func usersAndServiceUsers() async throws {
        let server = try await TesseraProcess.start()
        let admin = server.adminAPI
        let personIDs = try await ServiceSteps.concurrently(25, width: 8) { index in
            let output = try await admin.createUser(.init(body: .init(email: "p\(index)@example.com", fullName: "Person \(index)", role: .member)))
            guard case .created(let user) = output else { throw Unexpected(output, "201") }
            return user.userID
        }
        let machineIDs = try await ServiceSteps.concurrently(25, width: 8) { index in
            try await ServiceSteps.newServiceUser(server, role: .member, name: "machine \(index)")
        }
        let adminID = try await ServiceSteps.me(server, server.adminSecret).identity.userID
        let people = Schemas.PaginatedUsersList.self, machines = Schemas.PaginatedServiceUsersList.self

        let users = try await Self.walkBothWays(server, "/v1/users", size: 7, as: people)
        #expect(Set(users) == Set(personIDs + [adminID]))
        #expect(users.first == adminID, "oldest first")
        let serviceUsers = try await Self.walkBothWays(server, "/v1/service-users", size: 7, as: machines)
        #expect(Set(serviceUsers) == Set(machineIDs))
        #expect(try await Self.page(server, "/v1/users", as: people).ids.count == 26)
        #expect(try await Self.page(server, "/v1/service-users", as: machines).ids.count == 25)
        // Members may page through users too.
        let member = try await ServiceSteps.newToken(server, label: "reader", userID: personIDs[0])
        let memberPage = try await Self.page(server, "/v1/users?page_size=5", as: people, token: member.secret)
        #expect(memberPage.ids == Array(users.prefix(5)))
        let memberNext = try #require(memberPage.next)
        let second = try await Self.page(server, "/v1/users?page_size=5&cursor=\(Self.query(memberNext))", as: people, token: member.secret)
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
        for index in 0 ..< 3 { _ = try await ServiceSteps.newServiceUser(server, role: .member, name: "s\(index)") }
        _ = try await ServiceSteps.newUser(server, role: .member)
        _ = try await ServiceSteps.newToken(server, label: "one more")
        let lists: [String: any ListPage.Type] = ["/v1/tokens": Schemas.PaginatedTokensList.self, "/v1/users": Schemas.PaginatedUsersList.self,
                                                  "/v1/service-users": Schemas.PaginatedServiceUsersList.self,
                                                  "/v1/events": Schemas.PaginatedEventList.self]
        let list = try #require(lists[path])
        let first = try await Self.page(server, "\(path)?page_size=1", as: list)
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
            _ = try await ServiceSteps.newToken(server, label: "token \(index)")
        }
        let tokens = Schemas.PaginatedTokensList.self
        let oldestFirst = try await Self.walkBothWays(server, "/v1/tokens", size: 5, as: tokens)
        let newestFirst = try await Self.walkBothWays(server, "/v1/tokens?newest_first=true", size: 5, as: tokens)
        #expect(oldestFirst.count == 13)
        #expect(newestFirst == Array(oldestFirst.reversed()))
        let explicit = try await Self.walkBothWays(server, "/v1/tokens?newest_first=false", size: 5, as: tokens)
        #expect(explicit == oldestFirst)
        let invalid = try await server.client.call("GET", "/v1/tokens?newest_first=maybe", token: server.adminSecret)
        try invalid.expectError(400, .validationError)
        #expect(invalid.text.contains("newest_first"), "\(invalid.text)")
    }
}

/// A page of one of the paginated lists: its cursors and the ids of its rows.
protocol ListPage: JSONDecodable {
    var next: String?? { get }
    var previous: String?? { get }
    var ids: [UUID] { get }
}

extension Schemas.PaginatedTokensList: ListPage {
    var ids: [UUID] { results.map(\.tokenID) }
}

extension Schemas.PaginatedUsersList: ListPage {
    var ids: [UUID] { results.map(\.userID) }
}

extension Schemas.PaginatedServiceUsersList: ListPage {
    var ids: [UUID] { results.map(\.userID) }
}

extension Schemas.PaginatedEventList: ListPage {
    var ids: [UUID] { (results ?? []).map(\.eventID) }
}
