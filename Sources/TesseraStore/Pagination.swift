import Foundation

/// An opaque keyset cursor: a position in a list's order, not an offset,
/// so pages stay exact while rows are inserted and deleted between them.
/// Its text is base64url of `v1:a:<seq>` (the page after the row) or
/// `v1:b:<seq>` (the page before it); anything else does not parse.
public struct PageCursor: Sendable, Equatable {
    public enum Direction: Sendable { case after, before }
    public var direction: Direction
    package var seq: Int64

    package init(_ direction: Direction, _ seq: Int64) {
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
    /// Newest rows first, for a list that is otherwise oldest first
    /// (a list that is always newest first, like events, ignores it).
    public var newestFirst: Bool

    public init(cursor: PageCursor?, size: Int, newestFirst: Bool = false) {
        self.cursor = cursor
        self.size = size
        self.newestFirst = newestFirst
    }
}

/// One page and the cursors around it (nil at either end).
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var next: String?
    public var previous: String?

    package init(items: [Item], next: String?, previous: String?) {
        self.items = items
        self.next = next
        self.previous = previous
    }
}

/// The backend-neutral half of a keyset page over rows ordered by `seq`:
/// which rows to fetch, and how the fetched rows become a page. Both
/// backends run the same plan, so their pages and cursors are identical.
///
///     let plan = KeysetPlan(request, descending: false)
///     rows = SELECT … WHERE filters [AND seq <plan.seqBound>] ORDER BY seq <plan.order> LIMIT plan.limit
///     var arranged = plan.arrange(rows)
///     if let probe = arranged.probe { exists = SELECT EXISTS (… WHERE filters AND seq <probe.op> probe.seq) }
///     return arranged.page(probeFound: exists)
package struct KeysetPlan: Sendable {
    package var size: Int
    package var descending: Bool
    package var cursor: PageCursor?

    package init(_ request: PageRequest, descending: Bool = false) {
        size = max(1, request.size)
        self.descending = descending || request.newestFirst
        cursor = request.cursor
    }

    var backwards: Bool { cursor?.direction == .before }
    var forwardOp: String { descending ? "<" : ">" }
    var backwardOp: String { descending ? ">" : "<" }

    /// The condition on `seq` the cursor adds (`seq <op> value`), if any.
    package var seqBound: (op: String, seq: Int64)? {
        cursor.map { (backwards ? backwardOp : forwardOp, $0.seq) }
    }

    /// `ASC` or `DESC`: the order rows are fetched in.
    package var order: String {
        (backwards != descending) ? "DESC" : "ASC"
    }

    /// One row more than a page, to tell whether there is more.
    package var limit: Int { size + 1 }

    /// The fetched rows in page order, and the one existence check (if any)
    /// still needed to know the cursor on the far side.
    package func arrange<Item>(_ fetched: [(seq: Int64, item: Item)]) -> ArrangedPage<Item> {
        var rows = fetched
        let more = rows.count > size
        if more { rows.removeLast() }
        if backwards { rows.reverse() }
        var probe: (op: String, seq: Int64)?
        if let first = rows.first, let last = rows.last {
            if backwards {
                probe = (forwardOp, last.seq)
            } else if cursor != nil {
                probe = (backwardOp, first.seq)
            }
        }
        return ArrangedPage(rows: rows, more: more, backwards: backwards, probe: probe)
    }
}

/// Rows of a page before the last existence check; see `KeysetPlan`.
package struct ArrangedPage<Item> {
    var rows: [(seq: Int64, item: Item)]
    var more: Bool
    var backwards: Bool
    /// The `seq` condition whose existence decides the far-side cursor.
    package var probe: (op: String, seq: Int64)?

    /// The page, given whether a row matched `probe` (ignored without one).
    package func page(probeFound: Bool) -> Page<Item> where Item: Sendable {
        guard let first = rows.first, let last = rows.last else {
            return Page(items: [], next: nil, previous: nil)
        }
        let hasNext = backwards ? probeFound : more
        let hasPrevious = backwards ? more : (probe != nil && probeFound)
        return Page(
            items: rows.map(\.item),
            next: hasNext ? PageCursor(.after, last.seq).text : nil,
            previous: hasPrevious ? PageCursor(.before, first.seq).text : nil
        )
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
