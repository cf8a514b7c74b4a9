/// Stores a property out of line, so a struct can contain itself:
///
///     struct Filter: Sendable { @Indirect var not: Filter? }
///
/// The value lives in a heap box shared by copies until one of them is
/// modified (copy-on-write), so `Indirect` keeps value semantics.
@propertyWrapper
public struct Indirect<Value: Sendable>: Sendable {
    private var box: IndirectBox<Value>

    /// Boxes `wrappedValue`; the `@Indirect var x = …` form calls this.
    public init(wrappedValue: Value) {
        box = IndirectBox(wrappedValue)
    }

    /// The stored value. Reading shares the box; writing copies it first when
    /// another copy of the enclosing struct still shares it.
    public var wrappedValue: Value {
        get { box.value }
        set {
            if isKnownUniquelyReferenced(&box) {
                box.value = newValue
            } else {
                box = IndirectBox(newValue)
            }
        }
        _modify {
            // Copy before mutating in place when another copy shares the box.
            if !isKnownUniquelyReferenced(&box) { box = IndirectBox(box.value) }
            yield &box.value
        }
    }
}

/// The heap cell behind `Indirect`.
///
/// `@unchecked Sendable` is sound because `Indirect` only mutates a box it
/// holds the only reference to (checked with `isKnownUniquelyReferenced`);
/// a shared box is never written, so no two threads can race on `value`.
final class IndirectBox<Value: Sendable>: @unchecked Sendable {
    var value: Value

    init(_ value: Value) {
        self.value = value
    }
}

extension Indirect: Equatable where Value: Equatable {
    /// Equal when the values are, whether or not the two share a box (sharing
    /// one is a shortcut that skips the comparison).
    public static func == (lhs: Indirect, rhs: Indirect) -> Bool {
        lhs.box === rhs.box || lhs.wrappedValue == rhs.wrappedValue
    }
}

extension Indirect: Hashable where Value: Hashable {
    /// Hashes the wrapped value, so an `@Indirect` property hashes like a plain one.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(wrappedValue)
    }
}

extension Indirect: JSONDecodable where Value: JSONDecodable {
    /// Decodes the wrapped value at the same `path`: `Indirect` adds no level to
    /// the JSON, so `{"not": {...}}` reads straight into `@Indirect var not`.
    public init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
        guard let value = Value(json: json, path: path, errors: &errors) else { return nil }
        self.init(wrappedValue: value)
    }
}

extension Indirect: JSONEncodable where Value: JSONEncodable {
    /// Writes the wrapped value as if it were stored inline.
    public func encode(to writer: inout JSONWriter) {
        wrappedValue.encode(to: &writer)
    }
}
