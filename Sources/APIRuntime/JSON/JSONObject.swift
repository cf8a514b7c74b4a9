/// A JSON object that keeps its keys in the order they were written.
///
/// Request objects are small, so lookups scan the entries linearly: that is
/// faster than hashing for a handful of keys and keeps the order for free.
/// Equality ignores key order (JSON semantics); use `keys` to compare order.
public struct JSONObject: Sendable, Equatable {
    /// The members in document order.
    public var entries: [(key: String, value: JSON)]

    /// An object with the given members, in that order.
    public init(_ entries: [(key: String, value: JSON)]) {
        self.entries = entries
    }

    /// An empty object.
    public init() {
        entries = []
    }

    /// The value for `key`, or nil when the object has no such member.
    /// Setting nil removes the member; setting a new key appends it.
    public subscript(key: String) -> JSON? {
        get {
            for entry in entries where entry.key == key { return entry.value }
            return nil
        }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue {
                    entries[index].value = newValue
                } else {
                    entries.remove(at: index)
                }
            } else if let newValue {
                entries.append((key: key, value: newValue))
            }
        }
    }

    /// The keys in document order.
    public var keys: [String] { entries.map(\.key) }

    /// The number of members.
    public var count: Int { entries.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { entries.isEmpty }

    /// Whether the object has a member named `key`.
    public func contains(_ key: String) -> Bool {
        entries.contains { $0.key == key }
    }

    /// Equal when both have the same keys with equal values, in any order:
    /// `{"a":1,"b":2}` equals `{"b":2,"a":1}`.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        // Same order is the common case: compare pairwise, fall back to lookups.
        for (index, entry) in lhs.entries.enumerated() {
            let other = rhs.entries[index]
            if entry.key == other.key {
                if entry.value != other.value { return false }
            } else {
                guard let value = rhs[entry.key], value == entry.value else { return false }
            }
        }
        return true
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// An object with the members in the order written:
    /// `let object: JSONObject = ["name": "x", "size": 3]`.
    public init(dictionaryLiteral elements: (String, JSON)...) {
        self.init(elements.map { (key: $0.0, value: $0.1) })
    }
}
