// Literal conformances so tests and hand-written code can spell JSON values
// directly: `let body: JSON = ["name": "x", "tags": [1, 2]]`.
// There is deliberately no nil literal: `JSON?` would become ambiguous.

extension JSON: ExpressibleByStringLiteral {
    /// A JSON string: `let name: JSON = "ada"`.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSON: ExpressibleByIntegerLiteral {
    /// A JSON number written as the decimal integer: `let count: JSON = 3`.
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
}

extension JSON: ExpressibleByFloatLiteral {
    /// A JSON number with `value`'s shortest text (`0.5`); see ``JSONNumber``.
    public init(floatLiteral value: Double) { self = .number(JSONNumber(value)) }
}

extension JSON: ExpressibleByBooleanLiteral {
    /// `true` or `false`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSON: ExpressibleByArrayLiteral {
    /// A JSON array of the elements, in order: `let tags: JSON = ["a", 1, true]`.
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
}

extension JSON: ExpressibleByDictionaryLiteral {
    /// A JSON object with the members in the order written. A repeated key is
    /// kept twice (the parser would have refused it; a literal is taken as is).
    public init(dictionaryLiteral elements: (String, JSON)...) {
        self = .object(JSONObject(elements.map { (key: $0.0, value: $0.1) }))
    }
}
