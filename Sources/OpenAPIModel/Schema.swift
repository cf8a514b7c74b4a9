import GeneratorDiagnostics

/// A schema, or a `$ref` to one.
public typealias SchemaOrRef = Referenceable<Schema>

/// The JSON types a schema's `type` may name (`null` is folded into
/// `Schema.isNullable`).
public enum JSONType: String, Sendable, Hashable, CaseIterable {
    /// The JSON Schema type names, spelled as in `type:`. `integer` is a
    /// number without a fractional part; `number` includes the integers.
    case string, number, integer, boolean, array, object
}

/// The Schema Object of OpenAPI 3.0 and 3.1 (JSON Schema 2020-12 in 3.1).
///
/// Both dialects are read into this one shape: 3.0's `nullable: true` and
/// 3.1's `type: [T, "null"]` both set `isNullable`; 3.0's boolean
/// `exclusiveMinimum` and 3.1's numeric one both become a `NumericBound`;
/// 3.0's `example` and 3.1's `examples` both fill `examples`.
///
/// Every keyword is optional: an unset one is nil, empty or false, and
/// constrains nothing. Keywords the generator does not act on (`$id`,
/// `if`/`then`, …) are not kept.
public struct Schema: Sendable {
    /// Where the schema was written, for diagnostics.
    public var source: SourceLocation
    /// The declared types, in order, without `null`. Empty: any type.
    public var types: [JSONType] = []
    /// `nullable: true` (3.0), `null` among the types (3.1), or `type: 'null'`.
    public var isNullable = false
    /// True when the schema is exactly `type: 'null'`.
    public var isNullOnly = false
    /// `format`, as written (`uuid`, `date-time`, `int64`, or any other
    /// text); nil when not written. Unknown formats are documentation only.
    public var format: String?
    /// `title`: a short name for readers; nil when not written.
    public var title: String?
    /// `description`: Markdown; nil when not written.
    public var description: String?

    /// `enum`: the only values allowed, in order; nil when not written (an
    /// empty list would allow nothing).
    public var enumValues: [JSONValue]?
    /// `const`: the one value allowed; nil when not written. (A `const: null`
    /// is ``JSONValue/null``, not nil.)
    public var constValue: JSONValue?
    /// `default`: the value a reader assumes when the property is absent;
    /// nil when not written.
    public var defaultValue: JSONValue?
    /// Example values: 3.0's `example`, then 3.1's `examples` list.
    /// Documentation only.
    public var examples: [JSONValue] = []

    // Objects
    /// `properties`: name → schema, in document order.
    public var properties = OrderedDictionary<SchemaOrRef>()
    /// `required`: the property names an object must have, as written.
    public var required: [String] = []
    /// `additionalProperties`; nil when not written, which allows any other
    /// property (JSON Schema's default).
    public var additionalProperties: AdditionalProperties?
    /// `minProperties`: the fewest members an object may have; nil for no bound.
    public var minProperties: Int?
    /// `maxProperties`: the most members an object may have; nil for no bound.
    public var maxProperties: Int?
    /// `discriminator`: the property that names a `oneOf`/`anyOf` branch;
    /// nil when not written.
    public var discriminator: Discriminator?

    // Arrays
    /// `items`: the schema of every element (of every element after
    /// ``prefixItems``, in 3.1); nil when not written (any element).
    public var items: SchemaOrRef?
    /// `prefixItems` (3.1): the schemas of the first elements, position by
    /// position (tuples); empty when not written.
    public var prefixItems: [SchemaOrRef] = []
    /// `minItems`: the fewest elements, inclusive; nil for no bound.
    public var minItems: Int?
    /// `maxItems`: the most elements, inclusive; nil for no bound.
    public var maxItems: Int?
    /// `uniqueItems`: whether equal elements are refused. False unless written.
    public var uniqueItems = false

    // Composition
    /// `allOf`: the value must match every one of these; empty when not written.
    public var allOf: [SchemaOrRef] = []
    /// `oneOf`: the value must match exactly one of these; empty when not written.
    public var oneOf: [SchemaOrRef] = []
    /// `anyOf`: the value must match at least one of these; empty when not written.
    public var anyOf: [SchemaOrRef] = []
    /// `not`: the value must not match this; nil when not written.
    public var not: SchemaOrRef?

    // Numbers
    /// `minimum` (or 3.1's numeric `exclusiveMinimum`), with whether it is
    /// exclusive; nil for no lower bound.
    public var minimum: NumericBound?
    /// `maximum` (or 3.1's numeric `exclusiveMaximum`), with whether it is
    /// exclusive; nil for no upper bound.
    public var maximum: NumericBound?
    /// `multipleOf`: the value divided by it must be an integer; nil when
    /// not written. OpenAPI requires it to be positive.
    public var multipleOf: Double?

    // Strings
    /// `minLength`: the fewest characters (Unicode code points), inclusive;
    /// nil for no bound.
    public var minLength: Int?
    /// `maxLength`: the most characters (Unicode code points), inclusive;
    /// nil for no bound.
    public var maxLength: Int?
    /// `pattern`: an ECMA-262 regular expression the string must match
    /// somewhere (unanchored), as written; nil when not written.
    public var pattern: String?

    /// `readOnly`: sent in responses only; a request should not carry it.
    public var readOnly = false
    /// `writeOnly`: sent in requests only; a response should not carry it.
    public var writeOnly = false
    /// `deprecated`; false unless written.
    public var deprecated = false
    /// `x-…` keys, in document order.
    public var extensions = OrderedDictionary<JSONValue>()

    /// A schema with no keywords (`{}`: any value), written at `source`.
    public init(source: SourceLocation) {
        self.source = source
    }

    /// The single declared type, when there is exactly one.
    public var singleType: JSONType? { types.count == 1 ? types[0] : nil }
}

/// `additionalProperties`: `true`/`false`, or a schema for the values of a map.
public enum AdditionalProperties: Sendable {
    /// `additionalProperties: true` (any other property is allowed) or
    /// `false` (only the declared `properties` are).
    case allowed(Bool)
    /// `additionalProperties: {schema}`: other properties are allowed, and
    /// each value must match the schema (a string-keyed map).
    case schema(SchemaOrRef)
}

/// `discriminator`: which property picks the `oneOf`/`anyOf` branch.
public struct Discriminator: Sendable, Hashable {
    /// `propertyName`: the member whose string value names the branch.
    public var propertyName: String
    /// Property value → the branch's `$ref`, in document order: a bare
    /// schema name is stored as `#/components/schemas/Name`, and a reference
    /// into another file as the component it was bundled into.
    public var mapping: OrderedDictionary<String>
    /// Where the discriminator was written, for diagnostics.
    public var source: SourceLocation

    /// A discriminator on `propertyName` with explicit `mapping` entries
    /// (empty when the spec relies on the branches' schema names).
    public init(propertyName: String, mapping: OrderedDictionary<String>, source: SourceLocation) {
        self.propertyName = propertyName
        self.mapping = mapping
        self.source = source
    }
}

/// `minimum`/`maximum` with their exclusiveness, and the number as written
/// (so generated code can print it without a round trip through Double).
public struct NumericBound: Sendable, Hashable {
    /// The bound as a `Double`, for comparisons.
    public var value: Double
    /// The bound exactly as the spec wrote it (`1000`, `0.5`, `1e3`).
    public var text: String
    /// Whether the bound itself is excluded (`exclusiveMinimum`/`exclusiveMaximum`).
    public var isExclusive: Bool

    /// A bound with its value, its text and whether it is exclusive.
    public init(value: Double, text: String, isExclusive: Bool) {
        self.value = value
        self.text = text
        self.isExclusive = isExclusive
    }
}
