import Foundation
import GRDB

/// An opaque keyset cursor: a position in a list's order, not an offset,
/// so pages stay exact while rows are inserted and deleted between them.
/// Its text is base64url of `v1:a:<seq>` (the page after the row) or
/// `v1:b:<seq>` (the page before it); anything else does not parse.
public struct PageCursor: Sendable, Equatable {
    public enum Direction: Sendable { case after, before }
    public var direction: Direction
    var seq: Int64

    init(_ direction: Direction, _ seq: Int64) {
        self.direction = direction
        self.seq = seq
    }

    /// nil for text that no Tessera page produced.
    public init?(text: String) {
        guard text.count <= 64, let data = Data(base64URLEncoded: text),
              let plain = String(data: data, encoding: .utf8) else { return nil }
        let parts = plain.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let seq = Int64(parts[2]), seq >= 0,
              String(seq) == parts[2] else { return nil }
        switch parts[1] {
        case "a": direction = .after
        case "b": direction = .before
        default: return nil
        }
        self.seq = seq
    }

    public var text: String {
        Data("v1:\(direction == .after ? "a" : "b"):\(seq)".utf8).base64URLEncodedString()
    }
}

/// What a list operation asks for.
public struct PageRequest: Sendable {
    public var cursor: PageCursor?
    public var size: Int

    public init(cursor: PageCursor?, size: Int) {
        self.cursor = cursor
        self.size = size
    }
}

/// One page and the cursors around it (nil at either end).
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var next: String?
    public var previous: String?
}

/// A keyset query over a table whose `seq` column orders it.
struct KeysetQuery {
    /// `SELECT … FROM table alias`, without WHERE.
    var select: String
    /// The `seq` column, qualified.
    var seqColumn: String
    /// Conditions ANDed together, with their arguments in order.
    var conditions: [String] = []
    var arguments: [(any DatabaseValueConvertible)?] = []
    /// Newest first (events) instead of oldest first.
    var descending = false

    mutating func filter(_ condition: String, _ values: [(any DatabaseValueConvertible)?] = []) {
        conditions.append(condition)
        arguments += values
    }

    func page<Item: Sendable>(_ db: Database, _ request: PageRequest, map: (Row) -> (seq: Int64, item: Item)) throws -> Page<Item> {
        let size = max(1, request.size)
        let forwardOp = descending ? "<" : ">"
        let backwardOp = descending ? ">" : "<"
        let forwardOrder = descending ? "DESC" : "ASC"
        let backwardOrder = descending ? "ASC" : "DESC"
        var conditions = conditions
        var arguments = arguments
        let backwards = request.cursor?.direction == .before
        if let cursor = request.cursor {
            conditions.append("\(seqColumn) \(backwards ? backwardOp : forwardOp) ?")
            arguments.append(cursor.seq)
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let sql = "\(select)\(whereClause) ORDER BY \(seqColumn) \(backwards ? backwardOrder : forwardOrder) LIMIT ?"
        // The SQL text depends only on which filters are present, so the
        // prepared statement is cached per shape; rows are read straight off
        // the cursor without copying.
        arguments.append(Int64(size + 1))
        let statement = try db.cachedStatement(sql: sql)
        let cursor = try Row.fetchCursor(statement, arguments: StatementArguments(arguments.map { $0?.databaseValue ?? .null }))
        var rows: [(seq: Int64, item: Item)] = []
        rows.reserveCapacity(size + 1)
        while let row = try cursor.next() {
            rows.append(map(row))
        }
        let more = rows.count > size
        if more { rows.removeLast() }
        if backwards { rows.reverse() }
        guard let first = rows.first, let last = rows.last else {
            return Page(items: [], next: nil, previous: nil)
        }
        let hasNext = backwards ? try exists(db, seqCondition: "\(seqColumn) \(forwardOp) ?", last.seq) : more
        var hasPrevious = more
        if !backwards {
            hasPrevious = try request.cursor != nil && exists(db, seqCondition: "\(seqColumn) \(backwardOp) ?", first.seq)
        }
        return Page(
            items: rows.map(\.item),
            next: hasNext ? PageCursor(.after, last.seq).text : nil,
            previous: hasPrevious ? PageCursor(.before, first.seq).text : nil
        )
    }

    private func exists(_ db: Database, seqCondition: String, _ seq: Int64) throws -> Bool {
        let all = conditions + [seqCondition]
        let sql = "SELECT EXISTS (\(select) WHERE \(all.joined(separator: " AND ")) LIMIT 1)"
        let values = arguments.map { $0?.databaseValue ?? .null } + [seq.databaseValue]
        return try Bool.fetchOne(db.cachedStatement(sql: sql), arguments: StatementArguments(values)) ?? false
    }
}

extension Data {
    init?(base64URLEncoded text: String) {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        self.init(base64Encoded: base64)
    }

    func base64URLEncodedString() -> String {
        base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
