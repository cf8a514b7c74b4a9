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
    /// Where the object starts in its file, for diagnostics.
    public var source: SourceLocation
    /// The declared types, in order, without `null`. Empty: any type.
    public var types: [JSONType] = []
    /// `nullable: true` (3.0), `null` among the types (3.1), or `type: 'null'`.
    public var isNullable = false
    /// True when the schema is exactly `type: 'null'`.
    public var isNullOnly = false
    /// `format` (`date-time`, `uuid`, `int64`, ...).
    public var format: String?
    /// `title`.
    public var title: String?
    /// `description`, as written (CommonMark).
    public var description: String?

    /// `enum`: the only values allowed; nil when any is.
    public var enumValues: [JSONValue]?
    /// `const` (3.1): the one value allowed.
    public var constValue: JSONValue?
    /// `default`.
    public var defaultValue: JSONValue?
    /// `example` (3.0) or `examples` (3.1), in document order.
    public var examples: [JSONValue] = []

    // Objects
    /// `properties`: name → schema, in document order.
    public var properties = OrderedDictionary<SchemaOrRef>()
    /// `required`: the property names an object must have.
    public var required: [String] = []
    /// `additionalProperties`; nil when not written.
    public var additionalProperties: AdditionalProperties?
    /// `minProperties`.
    public var minProperties: Int?
    /// `maxProperties`.
    public var maxProperties: Int?
    /// `discriminator` of a `oneOf` or `anyOf`.
    public var discriminator: Discriminator?

    // Arrays
    /// `items`: the schema of an array's elements (after `prefixItems`).
    public var items: SchemaOrRef?
    /// `prefixItems` (3.1): the schemas of an array's first elements.
    public var prefixItems: [SchemaOrRef] = []
    /// `minItems`.
    public var minItems: Int?
    /// `maxItems`.
    public var maxItems: Int?
    /// `uniqueItems`.
    public var uniqueItems = false

    // Composition
    /// `allOf`: schemas a value must all match.
    public var allOf: [SchemaOrRef] = []
    /// `oneOf`: schemas a value must match exactly one of.
    public var oneOf: [SchemaOrRef] = []
    /// `anyOf`: schemas a value must match at least one of.
    public var anyOf: [SchemaOrRef] = []
    /// `not`: a schema the value must not match.
    public var not: SchemaOrRef?

    // Numbers
    /// `minimum` or `exclusiveMinimum`.
    public var minimum: NumericBound?
    /// `maximum` or `exclusiveMaximum`.
    public var maximum: NumericBound?
    /// `multipleOf`.
    public var multipleOf: Double?

    // Strings
    /// `minLength`, in characters.
    public var minLength: Int?
    /// `maxLength`, in characters.
    public var maxLength: Int?
    /// `pattern`: an ECMA-262 regular expression, as written.
    public var pattern: String?

    /// `readOnly`: sent in responses only.
    public var readOnly = false
    /// `writeOnly`: sent in requests only.
    public var writeOnly = false
    /// `deprecated`.
    public var deprecated = false
    /// `x-…` keys, in document order.
    public var extensions = OrderedDictionary<JSONValue>()

    /// An object found at `source`, its fields to be filled in by the parser.
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
    /// `propertyName`: the property whose value names the branch.
    public var propertyName: String
    /// Property value → `$ref` of the branch, as written.
    public var mapping: OrderedDictionary<String>
    /// Where the object starts in its file, for diagnostics.
    public var source: SourceLocation

    /// A discriminator on `propertyName`, found at `source`.
    public init(propertyName: String, mapping: OrderedDictionary<String>, source: SourceLocation) {
        self.propertyName = propertyName
        self.mapping = mapping
        self.source = source
    }
}

/// `minimum`/`maximum` with their exclusiveness, and the number as written
/// (so generated code can print it without a round trip through Double).
public struct NumericBound: Sendable, Hashable {
    /// The bound as a number.
    public var value: Double
    /// The bound as written in the spec (`0.1`, `100`).
    public var text: String
    /// True for `exclusiveMinimum`/`exclusiveMaximum`.
    public var isExclusive: Bool

    /// A bound with its value, its text and whether it is exclusive.
    public init(value: Double, text: String, isExclusive: Bool) {
        self.value = value
        self.text = text
        self.isExclusive = isExclusive
    }
}
