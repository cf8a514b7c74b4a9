/// A JSON value as the spec wrote it: `default`, `enum`, `const`, examples
/// and vendor extensions. Numbers keep their integer-ness.
///
/// YAML specs are read into the same values: a YAML integer is ``int(_:)``,
/// any other finite number ``double(_:)`` (`.inf` and `.nan`, which JSON
/// cannot spell, are kept as their text in ``string(_:)``), and mapping keys
/// are text.
public indirect enum JSONValue: Sendable, Hashable {
    /// `null` (YAML `null`, `~` or an empty value).
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer written without fraction or exponent (or as YAML's `0x1F`,
    /// `0o17`) that fits in `Int`.
    case int(Int)
    /// Any other finite number: `1.5`, `1e3`, an integer beyond `Int`.
    case double(Double)
    /// A string.
    case string(String)
    /// An array, elements in document order.
    case array([JSONValue])
    /// An object, members in document order.
    case object(OrderedDictionary<JSONValue>)

    /// The string, when this is ``string(_:)``; nil for every other case
    /// (numbers are not turned into text).
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// Whether this is ``null``.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
