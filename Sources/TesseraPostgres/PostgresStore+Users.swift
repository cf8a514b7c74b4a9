import Foundation
import PostgresNIO
import TesseraStore

extension PostgresStore {
    public func createUser(_ new: NewUser, actor: EventActor?, at time: Milliseconds) async throws -> UserRecord {
        let logger = logger
        let clock = clock
        return try await transaction { connection in
            try await Self.orderInserts(connection, into: .users, logger)
            // Stamped while this is the only insert into users, so creation
            // times follow list order.
            let time = max(time, clock.now())
            let id = UUID()
            let row: PostgresRandomAccessRow
            do {
                // The unique index on lower(email) decides between
                // concurrent creations, whichever instance runs them.
                row = try await connection.rows("""
                    INSERT INTO users (id, kind, email, name, first_name, last_name, position, role, created_at)
                    VALUES (\(id.text), 'USER', \(new.email), \(new.fullName), \(new.firstName), \(new.lastName), \(new.position),
                            \(new.role.rawValue), \(time))
                    RETURNING \(unescaped: Self.userColumns)
                    """, logger)[0]
            } catch where Self.isUniqueViolation(error) {
                throw StoreError.duplicate(field: "email")
            }
            let actor = actor ?? EventActor.commandLine(userID: id)
            try await Self.record(connection, .usersCreated, actor: actor, object: EventObject(id: id, type: "USER", name: new.fullName),
                                  at: time, logger)
            return try UserRecord(row)
        }
    }

    public func createServiceUser(name: String, description: String, role: Role, actor: EventActor, at time: Milliseconds) async throws -> UserRecord {
        let logger = logger
        let clock = clock
        return try await transaction { connection in
            try await Self.orderInserts(connection, into: .users, logger)
            // Stamped while this is the only insert into users, so creation
            // times follow list order.
            let time = max(time, clock.now())
            let id = UUID()
            let row = try await connection.rows("""
                INSERT INTO users (id, kind, name, description, role, created_at)
                VALUES (\(id.text), 'SERVICE_USER', \(name), \(description), \(role.rawValue), \(time))
                RETURNING \(unescaped: Self.userColumns)
                """, logger)[0]
            try await Self.record(connection, .serviceUserCreated, actor: actor, object: EventObject(id: id, type: "SERVICE_USER", name: name),
                                  at: time, logger)
            return try UserRecord(row)
        }
    }

    public func user(id: UUID) async throws -> UserRecord? {
        try await rows("SELECT \(unescaped: Self.userColumns) FROM users WHERE id = \(id.text)").first.map { try UserRecord($0) }
    }

    public func user(email: String) async throws -> UserRecord? {
        try await rows("""
            SELECT \(unescaped: Self.userColumns) FROM users WHERE lower(email) = lower(\(email)) AND kind = 'USER'
            """).first.map { try UserRecord($0) }
    }

    public func firstActiveAdmin() async throws -> UserRecord? {
        try await rows("""
            SELECT \(unescaped: Self.userColumns) FROM users
            WHERE kind = 'USER' AND role = 'ADMIN' AND deactivated_at IS NULL ORDER BY seq LIMIT 1
            """).first.map { try UserRecord($0) }
    }

    public func users(kind: UserKind, page request: PageRequest) async throws -> Page<UserRecord> {
        var query = KeysetQuery(select: "SELECT \(Self.userColumns) FROM users")
        query.filter("kind =", .text(kind.rawValue))
        return try await query.page(self, request) { row in
            let user = try UserRecord(row)
            return (user.seq, user)
        }
    }

    /// Locks the user and every active admin, in `seq` order (so two
    /// deactivations never deadlock), before counting: of concurrent
    /// deactivations of the last two admins, through any instances, the
    /// second sees the first's commit and is refused.
    public func deactivateUser(id: UUID, actor: EventActor, at time: Milliseconds) async throws -> UserRecord {
        let logger = logger
        return try await transaction { connection in
            let locked = try await connection.rows("""
                SELECT \(unescaped: Self.userColumns) FROM users
                WHERE id = \(id.text) OR (kind = 'USER' AND role = 'ADMIN' AND deactivated_at IS NULL)
                ORDER BY seq FOR UPDATE
                """, logger).map { try UserRecord($0) }
            guard let user = locked.first(where: { $0.id == id }), user.kind == .user else { throw StoreError.notFound }
            guard user.isActive else { return user }
            if user.role == .admin {
                let admins = locked.filter { $0.kind == .user && $0.role == .admin && $0.isActive }.count
                if admins <= 1 { throw StoreError.lastActiveAdmin }
            }
            let row = try await connection.rows("""
                UPDATE users SET deactivated_at = \(time) WHERE id = \(id.text) RETURNING \(unescaped: Self.userColumns)
                """, logger)[0]
            try await connection.query("""
                DELETE FROM access_tokens WHERE parent_id IN (SELECT id FROM tokens WHERE user_id = \(id.text))
                """, logger: logger)
            try await Self.record(connection, .userDeactivated, actor: actor, object: EventObject(id: id, type: "USER", name: user.name),
                                  at: time, logger)
            try await Self.publish(connection, [.user(id)], logger)
            return try UserRecord(row)
        }
    }

    public func deleteServiceUser(id: UUID, actor: EventActor, at time: Milliseconds) async throws -> UserRecord {
        let logger = logger
        return try await transaction { connection in
            // Its keys and their access tokens go with it (ON DELETE CASCADE).
            guard let row = try await connection.rows("""
                DELETE FROM users WHERE id = \(id.text) AND kind = 'SERVICE_USER' RETURNING \(unescaped: Self.userColumns)
                """, logger).first else { throw StoreError.notFound }
            let user = try UserRecord(row)
            try await Self.record(connection, .serviceUserDeleted, actor: actor,
                                  object: EventObject(id: id, type: "SERVICE_USER", name: user.name), at: time, logger)
            try await Self.publish(connection, [.user(id)], logger)
            return user
        }
    }
}
