/// A string-keyed dictionary that remembers insertion order.
///
/// OpenAPI documents are read by people in the order they were written:
/// properties, paths and responses keep that order all the way to the
/// generated code, which keeps the output deterministic.
///
/// Lookups go through a hash index, so they cost what a `Dictionary`'s do;
/// removing a key is linear in the count (specs rarely remove anything).
///
/// ```swift
/// var properties = OrderedDictionary<String>()
/// properties["name"] = "string"
/// properties["id"] = "uuid"
/// properties.keys        // ["name", "id"]
/// properties["name"] = "text"   // replaced in place: still first
/// properties["id"] = nil        // removed
/// ```
public struct OrderedDictionary<Value>: Sequence {
    /// The keys, in insertion order.
    public private(set) var keys: [String] = []
    /// The values, in the order of ``keys``.
    public private(set) var values: [Value] = []
    private var index: [String: Int] = [:]

    /// An empty dictionary.
    public init() {}

    /// The number of entries.
    public var count: Int { keys.count }
    /// Whether there are no entries.
    public var isEmpty: Bool { keys.isEmpty }

    /// The value for `key`, or nil when there is none. Setting a value for an
    /// existing key replaces it in place (the order is kept); for a new key
    /// it appends the entry; setting nil removes the entry.
    public subscript(key: String) -> Value? {
        get { index[key].map { values[$0] } }
        set {
            if let position = index[key] {
                if let newValue {
                    values[position] = newValue
                } else {
                    remove(at: position)
                }
            } else if let newValue {
                index[key] = keys.count
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    /// Whether there is an entry for `key`.
    public func contains(_ key: String) -> Bool { index[key] != nil }

    private mutating func remove(at position: Int) {
        index[keys[position]] = nil
        keys.remove(at: position)
        values.remove(at: position)
        for i in position..<keys.count { index[keys[i]] = i }
    }

    /// Iterates the entries as `(key, value)` pairs, in insertion order.
    public func makeIterator() -> some IteratorProtocol<(key: String, value: Value)> {
        zip(keys, values).lazy.map { (key: $0, value: $1) }.makeIterator()
    }

    /// The same keys, in the same order, with each value transformed;
    /// rethrows the first error `transform` throws.
    public func mapValues<T>(_ transform: (Value) throws -> T) rethrows -> OrderedDictionary<T> {
        var result = OrderedDictionary<T>()
        result.keys = keys
        result.values = try values.map(transform)
        result.index = index
        return result
    }
}

extension OrderedDictionary: Sendable where Value: Sendable {}
extension OrderedDictionary: Equatable where Value: Equatable {
    /// Equal when both have the same keys in the same order, with equal
    /// values: order matters, unlike `Dictionary`'s equality.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.keys == rhs.keys && lhs.values == rhs.values
    }
}
extension OrderedDictionary: Hashable where Value: Hashable {
    /// Hashes keys and values in order, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(keys)
        hasher.combine(values)
    }
}
