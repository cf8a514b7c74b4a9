/// Stores a property out of line, so a struct can contain itself:
///
///     struct Filter: Sendable { @Indirect var not: Filter? }
///
/// The value lives in a heap box shared by copies until one of them is
/// modified (copy-on-write), so `Indirect` keeps value semantics.
@propertyWrapper
public struct Indirect<Value: Sendable>: Sendable {
    private var box: IndirectBox<Value>

    public init(wrappedValue: Value) {
        box = IndirectBox(wrappedValue)
    }

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
    public static func == (lhs: Indirect, rhs: Indirect) -> Bool {
        lhs.box === rhs.box || lhs.wrappedValue == rhs.wrappedValue
    }
}

extension Indirect: Hashable where Value: Hashable {
    public func hash(into hasher: inout Hasher) {
        hasher.combine(wrappedValue)
    }
}

extension Indirect: JSONDecodable where Value: JSONDecodable {
    public init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
        guard let value = Value(json: json, path: path, errors: &errors) else { return nil }
        self.init(wrappedValue: value)
    }
}

extension Indirect: JSONEncodable where Value: JSONEncodable {
    public func encode(to writer: inout JSONWriter) {
        wrappedValue.encode(to: &writer)
    }
}
