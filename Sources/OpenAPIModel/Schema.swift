import GeneratorDiagnostics

/// A schema, or a `$ref` to one.
public typealias SchemaOrRef = Referenceable<Schema>

/// The JSON types a schema's `type` may name (`null` is folded into
/// `Schema.isNullable`).
public enum JSONType: String, Sendable, Hashable, CaseIterable {
    case string, number, integer, boolean, array, object
}

/// The Schema Object of OpenAPI 3.0 and 3.1 (JSON Schema 2020-12 in 3.1).
///
/// Both dialects are read into this one shape: 3.0's `nullable: true` and
/// 3.1's `type: [T, "null"]` both set `isNullable`; 3.0's boolean
/// `exclusiveMinimum` and 3.1's numeric one both become a `NumericBound`;
/// 3.0's `example` and 3.1's `examples` both fill `examples`.
public struct Schema: Sendable {
    public var source: SourceLocation
    /// The declared types, in order, without `null`. Empty: any type.
    public var types: [JSONType] = []
    /// `nullable: true` (3.0), `null` among the types (3.1), or `type: 'null'`.
    public var isNullable = false
    /// True when the schema is exactly `type: 'null'`.
    public var isNullOnly = false
    public var format: String?
    public var title: String?
    public var description: String?

    public var enumValues: [JSONValue]?
    public var constValue: JSONValue?
    public var defaultValue: JSONValue?
    public var examples: [JSONValue] = []

    // Objects
    public var properties = OrderedDictionary<SchemaOrRef>()
    public var required: [String] = []
    public var additionalProperties: AdditionalProperties?
    public var minProperties: Int?
    public var maxProperties: Int?
    public var discriminator: Discriminator?

    // Arrays
    public var items: SchemaOrRef?
    public var prefixItems: [SchemaOrRef] = []
    public var minItems: Int?
    public var maxItems: Int?
    public var uniqueItems = false

    // Composition
    public var allOf: [SchemaOrRef] = []
    public var oneOf: [SchemaOrRef] = []
    public var anyOf: [SchemaOrRef] = []
    public var not: SchemaOrRef?

    // Numbers
    public var minimum: NumericBound?
    public var maximum: NumericBound?
    public var multipleOf: Double?

    // Strings
    public var minLength: Int?
    public var maxLength: Int?
    public var pattern: String?

    public var readOnly = false
    public var writeOnly = false
    public var deprecated = false
    /// `x-…` keys, in document order.
    public var extensions = OrderedDictionary<JSONValue>()

    public init(source: SourceLocation) {
        self.source = source
    }

    /// The single declared type, when there is exactly one.
    public var singleType: JSONType? { types.count == 1 ? types[0] : nil }
}

/// `additionalProperties`: `true`/`false`, or a schema for the values of a map.
public enum AdditionalProperties: Sendable {
    case allowed(Bool)
    case schema(SchemaOrRef)
}

/// `discriminator`: which property picks the `oneOf`/`anyOf` branch.
public struct Discriminator: Sendable, Hashable {
    public var propertyName: String
    /// Property value → `$ref` of the branch, as written.
    public var mapping: OrderedDictionary<String>
    public var source: SourceLocation

    public init(propertyName: String, mapping: OrderedDictionary<String>, source: SourceLocation) {
        self.propertyName = propertyName
        self.mapping = mapping
        self.source = source
    }
}

/// `minimum`/`maximum` with their exclusiveness, and the number as written
/// (so generated code can print it without a round trip through Double).
public struct NumericBound: Sendable, Hashable {
    public var value: Double
    public var text: String
    public var isExclusive: Bool

    public init(value: Double, text: String, isExclusive: Bool) {
        self.value = value
        self.text = text
        self.isExclusive = isExclusive
    }
}
