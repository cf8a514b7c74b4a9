import Foundation
import PostgresNIO
import TesseraStore

extension PostgresStore {
    /// Copies every row of `source` into this database, which must hold no
    /// users and no events yet (a fresh `tessera serve` or `bootstrap`
    /// never ran on it). One transaction: the tables are locked against
    /// other writers, the rows go in in the source's order in batches, the
    /// counts are checked, and only then does it commit; any failure
    /// leaves the database as it was.
    package func importRows(from source: some RowSource, batch: Int = 1000) async throws -> CopyReport {
        let logger = logger
        return try await transaction { connection in
            let names = CopiedTable.all.map(\.name) + ["settings"]
            try await connection.query(PostgresQuery(unsafeSQL: "LOCK TABLE \(names.joined(separator: ", ")) IN EXCLUSIVE MODE"),
                                       logger: logger)
            let present = try await connection.rows("""
                SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM tokens) + (SELECT COUNT(*) FROM events)
                """, logger)[0][0].decode(Int64.self)
            guard present == 0 else {
                throw CopyError("the PostgreSQL database already holds data (\(present) users, tokens and events); import into an empty one")
            }
            var report = CopyReport(rows: [])
            for table in CopiedTable.all {
                var after: Int64 = 0
                var copied = 0
                while true {
                    let rows = try source.rows(of: table, after: after, limit: batch)
                    guard let last = rows.last else { break }
                    try await Self.insert(rows.map(\.values), into: table, connection, logger)
                    copied += rows.count
                    after = last.seq
                }
                let stored = try await connection.rows(PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \(table.name)"), logger)[0][0]
                    .decode(Int64.self)
                guard stored == copied else {
                    throw CopyError("\(table.name): copied \(copied) rows but the database holds \(stored)")
                }
                report.rows.append((table.name, copied))
            }
            try await Self.write(try source.copiedSettings(), connection, logger)
            return report
        }
    }

    /// One multi-row INSERT (at most 65,535 bound values per statement).
    static func insert(_ rows: [[StoredValue]], into table: CopiedTable, _ connection: PostgresConnection, _ logger: Logger) async throws {
        var binds = PostgresBindings(capacity: rows.count * table.columns.count)
        var tuples: [String] = []
        tuples.reserveCapacity(rows.count)
        for values in rows {
            var placeholders: [String] = []
            for value in values {
                switch value {
                case .null: binds.appendNull()
                case .integer(let number): binds.append(number)
                case .text(let text): binds.append(text)
                case .blob(let bytes): try binds.append(Data(bytes))
                }
                placeholders.append("$\(binds.count)")
            }
            tuples.append("(" + placeholders.joined(separator: ", ") + ")")
        }
        let sql = "INSERT INTO \(table.name) (\(table.columns.joined(separator: ", "))) VALUES \(tuples.joined(separator: ", "))"
        try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
    }
}
