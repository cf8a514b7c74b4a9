import Foundation
import GRDB
import TesseraCore
import TesseraStore

// Records from SQLite rows, reading the columns of each record's `columns`
// by position (GRDB's by-name lookup costs a case-insensitive search per
// column). Ids are TEXT (lowercase UUIDs): always bound as `id.text`, since
// GRDB would store a `UUID` as a 16-byte blob.

extension Row {
    /// The id in column `index` (`.corrupt` naming `column` when it is not one).
    func id(_ index: Int, _ column: String) throws -> UUID {
        try UUID(stored: self[index] as String, column: column)
    }

    func optionalID(_ index: Int, _ column: String) throws -> UUID? {
        try (self[index] as String?).map { try UUID(stored: $0, column: column) }
    }

    /// The value of an enum column (`.corrupt` naming `column` for any other).
    func value<T: RawRepresentable>(_ index: Int, _ column: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: self[index] as String) else { throw StoreError.corrupt(detail: column) }
        return value
    }
}

extension UserRecord {
    init(row: Row) throws {
        self.init(seq: row[0], id: try row.id(1, "users.id"), kind: try row.value(2, "users.kind"), email: row[3], name: row[4],
                  firstName: row[5], lastName: row[6], position: row[7], description: row[8], role: try row.value(9, "users.role"),
                  createdAt: row[10], deactivatedAt: row[11])
    }
}

extension TokenRecord {
    init(row: Row) throws {
        self.init(seq: row[0], id: try row.id(1, "tokens.id"), kind: try row.value(2, "tokens.kind"),
                  userID: try row.id(3, "tokens.user_id"), creatorUserID: try row.id(4, "tokens.creator_user_id"), label: row[5],
                  accessLevel: try row.value(6, "tokens.access_level"), preview: row[7], createdAt: row[8], expiresAt: row[9],
                  lastUsedAt: row[10], digest: [UInt8]((row[11] as Data?) ?? Data()), previousSecretExpiresAt: row[12],
                  lastUsedIPs: LastUsedIPs.list(row[13]))
    }
}

extension EventRecord {
    init(row: Row) throws {
        self.init(id: try row.id(1, "events.id"), eventType: try row.value(2, "events.event_type"),
                  actor: EventActor(userID: try row.id(3, "events.actor_user_id"), name: row[4], email: row[5], ipAddress: row[6],
                               tokenName: row[7], tokenPreview: row[8]),
                  objectID: try row.optionalID(9, "events.object_id"), objectType: row[10], objectName: row[11], createdAt: row[12],
                  detail: row[13])
    }
}

extension FilterValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .text(let text): text.databaseValue
        case .integer(let number): number.databaseValue
        }
    }
}

/// A keyset query over a table whose `seq` column orders it, run by the
/// shared `KeysetPlan`.
struct KeysetQuery {
    /// `SELECT … FROM table alias`, without WHERE.
    var select: String
    /// The `seq` column, qualified.
    var seqColumn: String
    /// Conditions ANDed together, with their arguments in order.
    var conditions: [String] = []
    var arguments: [DatabaseValue] = []
    /// Newest first (events) instead of oldest first.
    var descending = false

    mutating func filter(_ condition: String, _ values: [(any DatabaseValueConvertible)?] = []) {
        conditions.append(condition)
        arguments += values.map { $0?.databaseValue ?? .null }
    }

    func page<Item: Sendable>(_ db: Database, _ request: PageRequest, map: (Row) throws -> (seq: Int64, item: Item)) throws -> Page<Item> {
        let plan = KeysetPlan(request, descending: descending)
        var conditions = conditions
        var arguments = arguments
        if let bound = plan.seqBound {
            conditions.append("\(seqColumn) \(bound.op) ?")
            arguments.append(bound.seq.databaseValue)
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let sql = "\(select)\(whereClause) ORDER BY \(seqColumn) \(plan.order) LIMIT ?"
        // The SQL text depends only on which filters are present, so the
        // prepared statement is cached per shape; rows are read straight off
        // the cursor without copying.
        arguments.append(Int64(plan.limit).databaseValue)
        let statement = try db.cachedStatement(sql: sql)
        let cursor = try Row.fetchCursor(statement, arguments: StatementArguments(arguments))
        var rows: [(seq: Int64, item: Item)] = []
        rows.reserveCapacity(plan.limit)
        while let row = try cursor.next() {
            rows.append(try map(row))
        }
        let arranged = plan.arrange(rows)
        let found = try arranged.probe.map { try exists(db, seqCondition: "\(seqColumn) \($0.op) ?", $0.seq) } ?? false
        return arranged.page(probeFound: found)
    }

    private func exists(_ db: Database, seqCondition: String, _ seq: Int64) throws -> Bool {
        let all = conditions + [seqCondition]
        let sql = "SELECT EXISTS (\(select) WHERE \(all.joined(separator: " AND ")) LIMIT 1)"
        return try Bool.fetchOne(db.cachedStatement(sql: sql), arguments: StatementArguments(arguments + [seq.databaseValue])) ?? false
    }
}
