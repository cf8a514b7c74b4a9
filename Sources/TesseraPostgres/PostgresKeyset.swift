import PostgresNIO
import TesseraStore

/// A statement built piece by piece: each bound value becomes the next `$n`.
struct StatementBuilder {
    var binds = PostgresBindings()

    /// Binds `value` and returns its placeholder.
    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    mutating func bind(_ value: FilterValue) -> String {
        switch value {
        case .text(let text): bind(text)
        case .integer(let number): bind(number)
        }
    }
}

/// A keyset query over a table whose `seq` column orders it, run by the
/// shared `KeysetPlan` (so its pages and cursors are SQLite's).
struct KeysetQuery {
    /// `SELECT … FROM table`, without WHERE.
    var select: String
    /// Conditions ANDed together; their values are in `statement`.
    var conditions: [String] = []
    var statement = StatementBuilder()
    /// Newest first (events) instead of oldest first.
    var descending = false

    init(select: String, descending: Bool = false) {
        self.select = select
        self.descending = descending
    }

    mutating func filter(_ column: String, _ value: FilterValue) {
        conditions.append("\(column) \(statement.bind(value))")
    }

    func page<Item: Sendable>(_ store: PostgresStore, _ request: PageRequest,
                              map: (PostgresRandomAccessRow) throws -> (seq: Int64, item: Item)) async throws -> Page<Item> {
        let plan = KeysetPlan(request, descending: descending)
        var conditions = conditions
        var statement = statement
        if let bound = plan.seqBound {
            conditions.append("seq \(bound.op) \(statement.bind(bound.seq))")
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let sql = "\(select)\(whereClause) ORDER BY seq \(plan.order) LIMIT \(statement.bind(Int64(plan.limit)))"
        let rows = try await store.rows(PostgresQuery(unsafeSQL: sql, binds: statement.binds)).map(map)
        let arranged = plan.arrange(rows)
        var found = false
        if let probe = arranged.probe {
            var statement = self.statement
            let all = self.conditions + ["seq \(probe.op) \(statement.bind(probe.seq))"]
            let sql = "SELECT EXISTS (\(select) WHERE \(all.joined(separator: " AND ")) LIMIT 1)"
            found = try await store.rows(PostgresQuery(unsafeSQL: sql, binds: statement.binds)).first?[0].decode(Bool.self) ?? false
        }
        return arranged.page(probeFound: found)
    }
}
