/// Copying a whole database from one backend to another (`tessera import`,
/// SQLite → PostgreSQL): the tables both schemas share, row by row, in list
/// order, with every column as stored (digests, stamps, the audit trail),
/// so every secret keeps authenticating and every cursor order is kept.

/// One stored value, backend-neutral.
package enum StoredValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case text(String)
    case blob([UInt8])
}

/// A table both backends have, and the columns copied (all but `seq`, which
/// the target assigns in the order rows arrive: the source's order).
package struct CopiedTable: Sendable {
    package var name: String
    package var columns: [String]

    /// Parents before children (foreign keys); each is read in `seq` order.
    package static let all: [CopiedTable] = [
        CopiedTable(name: "users", columns: [
            "id", "kind", "email", "name", "first_name", "last_name", "position", "description", "role", "created_at", "deactivated_at",
        ]),
        CopiedTable(name: "tokens", columns: [
            "id", "kind", "user_id", "creator_user_id", "label", "access_level", "digest", "preview", "created_at", "expires_at",
            "last_used_at", "secret_changed_at", "previous_digest", "previous_secret_expires_at", "last_used_ips",
        ]),
        CopiedTable(name: "access_tokens", columns: ["id", "parent_id", "digest", "preview", "created_at", "expires_at", "parent_digest"]),
        CopiedTable(name: "events", columns: [
            "id", "event_type", "actor_user_id", "actor_name", "actor_email", "actor_ip_address", "api_token_name", "api_token_preview",
            "object_id", "object_type", "object_name", "created_at", "detail",
        ]),
    ]
}

/// A consistent, read-only view of a whole database to copy from.
package protocol RowSource: Sendable {
    /// Up to `limit` rows of `table` whose `seq` is past `after`, in `seq`
    /// order, with their values in `table.columns` order.
    func rows(of table: CopiedTable, after seq: Int64, limit: Int) throws -> [(seq: Int64, values: [StoredValue])]
    func copiedSettings() throws -> SettingsRecord
}

/// What a copy wrote: rows per table, in `CopiedTable.all` order.
public struct CopyReport: Sendable, Equatable {
    public var rows: [(table: String, count: Int)]

    package init(rows: [(table: String, count: Int)]) { self.rows = rows }

    public static func == (lhs: CopyReport, rhs: CopyReport) -> Bool {
        lhs.rows.map(\.table) == rhs.rows.map(\.table) && lhs.rows.map(\.count) == rhs.rows.map(\.count)
    }
}

/// Why a copy was refused; nothing was written.
public struct CopyError: Error, CustomStringConvertible {
    public var description: String
    package init(_ description: String) { self.description = description }
}
