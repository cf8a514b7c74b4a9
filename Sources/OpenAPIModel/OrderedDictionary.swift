/// A string-keyed dictionary that remembers insertion order.
///
/// OpenAPI documents are read by people in the order they were written:
/// properties, paths and responses keep that order all the way to the
/// generated code, which keeps the output deterministic.
public struct OrderedDictionary<Value>: Sequence {
    /// The keys, in insertion order.
    public private(set) var keys: [String] = []
    /// The values, in the order of `keys`.
    public private(set) var values: [Value] = []
    private var index: [String: Int] = [:]

    /// An empty dictionary.
    public init() {}

    /// The number of entries.
    public var count: Int { keys.count }
    /// Whether there are no entries.
    public var isEmpty: Bool { keys.isEmpty }

    /// The value for `key`. Setting a value keeps an existing key's place or
    /// appends a new key; setting `nil` removes the entry.
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

    /// Whether `key` has an entry.
    public func contains(_ key: String) -> Bool { index[key] != nil }

    private mutating func remove(at position: Int) {
        index[keys[position]] = nil
        keys.remove(at: position)
        values.remove(at: position)
        for i in position..<keys.count { index[keys[i]] = i }
    }

    /// The entries in order, as `(key, value)` pairs.
    public func makeIterator() -> some IteratorProtocol<(key: String, value: Value)> {
        zip(keys, values).lazy.map { (key: $0, value: $1) }.makeIterator()
    }

    /// The same keys in the same order, with each value transformed.
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
    /// Equal when the entries and their order are.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.keys == rhs.keys && lhs.values == rhs.values
    }
}
extension OrderedDictionary: Hashable where Value: Hashable {
    /// Hashes the entries in order.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(keys)
        hasher.combine(values)
    }
}
