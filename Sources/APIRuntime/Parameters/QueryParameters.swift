/// The parameters of a URL query string (`a=1&b=x%20y&b=2`), in order.
///
/// Names and values are percent-decoded (`+` is a space). A value with
/// nothing to decode is a slice of the original query, so the common case
/// copies nothing; a decoded one is a substring of its own new string.
public struct QueryParameters: Sendable {
    /// `raw` is the value as sent, before percent-decoding, for
    /// comma-separated lists (see `items(_:explode:)`).
    private var pairs: [(name: Substring, value: Substring, raw: Substring)]

    /// Splits `query` (the part after `?`, without it) on `&`; each part is
    /// `name=value`, or just `name` (value ""). Empty parts are skipped.
    public init(query: Substring) {
        pairs = []
        // One pass over the bytes (`&`, `=`, `%` and `+` are ASCII, so their
        // UTF-8 indices are valid character boundaries to slice at).
        let utf8 = query.utf8
        var partStart = utf8.startIndex
        var equals: String.Index?
        var nameNeedsDecoding = false
        var valueNeedsDecoding = false
        var index = partStart
        while true {
            let atEnd = index == utf8.endIndex
            let byte = atEnd ? UInt8(ascii: "&") : utf8[index]
            switch byte {
            case UInt8(ascii: "&"):
                if partStart < index {
                    if let equals {
                        let raw = query[utf8.index(after: equals)..<index]
                        pairs.append((
                            name: Self.decode(query[partStart..<equals], nameNeedsDecoding),
                            value: Self.decode(raw, valueNeedsDecoding),
                            raw: raw
                        ))
                    } else {
                        pairs.append((name: Self.decode(query[partStart..<index], nameNeedsDecoding), value: "", raw: ""))
                    }
                }
                if atEnd { return }
                partStart = utf8.index(after: index)
                equals = nil
                nameNeedsDecoding = false
                valueNeedsDecoding = false
            case UInt8(ascii: "="):
                if equals == nil { equals = index }
            case UInt8(ascii: "%"), UInt8(ascii: "+"):
                if equals == nil { nameNeedsDecoding = true } else { valueNeedsDecoding = true }
            default:
                break
            }
            index = utf8.index(after: index)
        }
    }

    /// Splits `query` as ``init(query:)-(Substring)`` does.
    public init(query: String) {
        self.init(query: query[...])
    }

    /// Every value of `name`, in order (`ids=1&ids=2` → `["1", "2"]`).
    public func values(_ name: String) -> [Substring] {
        var result: [Substring] = []
        for pair in pairs where pair.name == name { result.append(pair.value) }
        return result
    }

    /// The items of a form-style array parameter, ready for
    /// `ParameterDecoding.array(_:items:…)`. With `explode`, every occurrence
    /// is one item (`ids=1&ids=2`). Without, the first occurrence is split on
    /// its literal commas before it is percent-decoded, as RFC 6570 writes
    /// such a list: `tags=a%2Cb,c` is `["a,b", "c"]`. Either way `ids=` is
    /// one empty item, and a query without the parameter has none.
    public func items(_ name: String, explode: Bool) -> [Substring] {
        if explode { return values(name) }
        guard let raw = pairs.first(where: { $0.name == name })?.raw else { return [] }
        return raw.split(separator: ",", omittingEmptySubsequences: false).map { item in
            Self.decode(item, item.utf8.contains { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") })
        }
    }

    /// The first value of `name`, or nil when the query does not have it.
    public func first(_ name: String) -> Substring? {
        for pair in pairs where pair.name == name { return pair.value }
        return nil
    }

    /// The distinct names, in order of first appearance.
    public var names: [String] {
        var seen: Set<Substring> = []
        var result: [String] = []
        for pair in pairs where seen.insert(pair.name).inserted {
            result.append(String(pair.name))
        }
        return result
    }

    /// Whether the query has no parameters.
    public var isEmpty: Bool { pairs.isEmpty }

    private static func decode(_ text: Substring, _ needsDecoding: Bool) -> Substring {
        needsDecoding ? Substring(percentDecoded(text, plusAsSpace: true)) : text
    }
}
