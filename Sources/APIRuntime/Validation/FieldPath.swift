/// The name of a request field, as reported in validation errors:
/// `token_label`, `owner.email`, `items[2].name`, or a parameter's name.
///
/// Decoders append a component for every field they visit, almost always
/// without ever reporting an error, so a path keeps its last component apart
/// and only joins it into text when another component is appended or the
/// description is asked for: decoding a leaf value costs no string building.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    /// Everything before `last`, already joined.
    private var prefix: String
    private var last: Component

    private enum Component: Sendable {
        case none
        case key(String)
        case index(Int)
    }

    /// The body itself (description "").
    public static let root = FieldPath(prefix: "", last: .none)

    /// A path of one name, e.g. a query parameter's.
    public init(_ name: String) {
        self.init(prefix: "", last: .key(name))
    }

    private init(prefix: String, last: Component) {
        self.prefix = prefix
        self.last = last
    }

    /// The path of member `key`: root → `key`, `a` → `a.key`.
    public func appending(_ key: String) -> FieldPath {
        FieldPath(prefix: description, last: .key(key))
    }

    /// The path of element `index`: `items` → `items[2]`.
    public func appending(index: Int) -> FieldPath {
        FieldPath(prefix: description, last: .index(index))
    }

    /// The same path with its last component joined in, so that appending
    /// many siblings (array elements, map entries) joins it only once.
    var flattened: FieldPath {
        if case .none = last { return self }
        return FieldPath(prefix: description, last: .none)
    }

    /// The path as reported in errors: keys joined with `.`, indices in
    /// brackets (`items[2].name`); `""` for ``root``.
    public var description: String {
        switch last {
        case .none:
            return prefix
        case .key(let key):
            return prefix.isEmpty ? key : prefix + "." + key
        case .index(let index):
            return prefix + "[" + String(index) + "]"
        }
    }

    /// Paths are equal when their text is: `FieldPath("a").appending("b")`
    /// equals a path built any other way that reads `a.b`.
    public static func == (lhs: FieldPath, rhs: FieldPath) -> Bool {
        lhs.description == rhs.description
    }

    /// Hashes the path's text, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(description)
    }
}
