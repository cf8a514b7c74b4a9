import Foundation
import GRDB
import TesseraStore

extension SQLiteStore {
    /// Creates a person; an email already used (any case) is `.duplicate`.
    /// `actor` nil means the command line creates it (`tessera bootstrap`).
    public func createUser(_ new: NewUser, actor: EventActor?, at time: Milliseconds) async throws -> UserRecord {
        try await write { db in
            // Stamped inside the write lock, so creation times follow list order.
            let time = max(time, self.clock.now())
            let id = UUID()
            do {
                try db.execute(sql: """
                    INSERT INTO users (id, kind, email, name, first_name, last_name, position, role, created_at)
                    VALUES (?, 'USER', ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id.text, new.email, new.fullName, new.firstName, new.lastName, new.position, new.role.rawValue, time])
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                throw StoreError.duplicate(field: "email")
            }
            let actor = actor ?? EventActor.commandLine(userID: id)
            try Self.record(db, .usersCreated, actor: actor, object: EventObject(id: id, type: "USER", name: new.fullName), at: time)
            return try Self.user(db, id: id)!
        }
    }

    public func createServiceUser(name: String, description: String, role: Role, actor: EventActor, at time: Milliseconds) async throws -> UserRecord {
        try await write { db in
            // Stamped inside the write lock, so creation times follow list order.
            let time = max(time, self.clock.now())
            let id = UUID()
            try db.execute(sql: """
                INSERT INTO users (id, kind, name, description, role, created_at) VALUES (?, 'SERVICE_USER', ?, ?, ?, ?)
                """, arguments: [id.text, name, description, role.rawValue, time])
            try Self.record(db, .serviceUserCreated, actor: actor, object: EventObject(id: id, type: "SERVICE_USER", name: name), at: time)
            return try Self.user(db, id: id)!
        }
    }

    static func user(_ db: Database, id: UUID) throws -> UserRecord? {
        try Row.fetchOne(db, sql: "SELECT \(UserRecord.columns) FROM users WHERE id = ?", arguments: [id.text]).map(UserRecord.init(row:))
    }

    /// A user or service user by id.
    public func user(id: UUID) async throws -> UserRecord? {
        try readOnCallingThread { db in try Self.user(db, id: id) }
    }

    /// A person by email, ignoring case.
    public func user(email: String) async throws -> UserRecord? {
        try readOnCallingThread { db in
            try Row.fetchOne(db, sql: "SELECT \(UserRecord.columns) FROM users WHERE email = ? COLLATE NOCASE AND kind = 'USER'",
                             arguments: [email]).map(UserRecord.init(row:))
        }
    }

    /// The oldest active admin, if any.
    public func firstActiveAdmin() async throws -> UserRecord? {
        try readOnCallingThread { db in
            try Row.fetchOne(db, sql: """
                SELECT \(UserRecord.columns) FROM users
                WHERE kind = 'USER' AND role = 'ADMIN' AND deactivated_at IS NULL ORDER BY seq LIMIT 1
                """).map(UserRecord.init(row:))
        }
    }

    /// People or service users, oldest first.
    public func users(kind: UserKind, page request: PageRequest) async throws -> Page<UserRecord> {
        try readOnCallingThread { db in
            var query = KeysetQuery(select: "SELECT \(UserRecord.columns) FROM users", seqColumn: "seq")
            query.filter("kind = ?", [kind.rawValue])
            return try query.page(db, request) { row in (row[0], try UserRecord(row: row)) }
        }
    }

    /// Deactivates a person: every token of theirs stops working. The last
    /// active admin cannot be deactivated (`.lastActiveAdmin`), so the
    /// organization is never locked out. Deactivating twice is a no-op.
    public func deactivateUser(id: UUID, actor: EventActor, at time: Milliseconds) async throws -> UserRecord {
        try await write { db in
            guard let user = try Self.user(db, id: id), user.kind == .user else { throw StoreError.notFound }
            guard user.isActive else { return user }
            if user.role == .admin {
                let admins = try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM users WHERE kind = 'USER' AND role = 'ADMIN' AND deactivated_at IS NULL
                    """) ?? 0
                if admins <= 1 { throw StoreError.lastActiveAdmin }
            }
            try db.execute(sql: "UPDATE users SET deactivated_at = ? WHERE id = ?", arguments: [time, id.text])
            try db.execute(sql: "DELETE FROM access_tokens WHERE parent_id IN (SELECT id FROM tokens WHERE user_id = ?)", arguments: [id.text])
            try Self.record(db, .userDeactivated, actor: actor, object: EventObject(id: id, type: "USER", name: user.name), at: time)
            return try Self.user(db, id: id)!
        }
    }

    /// Deletes a service user, its keys and their access tokens.
    public func deleteServiceUser(id: UUID, actor: EventActor, at time: Milliseconds) async throws -> UserRecord {
        try await write { db in
            guard let user = try Self.user(db, id: id), user.kind == .serviceUser else { throw StoreError.notFound }
            try db.execute(sql: "DELETE FROM users WHERE id = ?", arguments: [id.text])
            try Self.record(db, .serviceUserDeleted, actor: actor, object: EventObject(id: id, type: "SERVICE_USER", name: user.name), at: time)
            return user
        }
    }
}
