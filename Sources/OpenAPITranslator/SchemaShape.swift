import OpenAPIModel

/// What Swift a schema becomes, decided once from the schema alone.
enum SchemaShape {
    /// A struct: properties (merged across `allOf`), required names, what to
    /// do with other keys.
    case object(ObjectShape)
    /// `[String: Value]` from `additionalProperties` with no properties.
    case map(SchemaOrRef?)
    /// `[Item]`.
    case array(SchemaOrRef?)
    /// `enum: [strings]`.
    case stringEnum([String])
    /// `enum: [integers]`.
    case integerEnum([Int])
    /// `oneOf`/`anyOf`: an enum with one case per branch.
    case union([SchemaOrRef], Discriminator?)
    /// A reference that is the whole schema (`allOf: [$ref]`, `$ref` + annotations).
    case alias(Reference)
    case string(format: String?)
    case integer(format: String?)
    case number(format: String?)
    case boolean
    /// Anything: an empty schema, `type: 'null'`, several types, or a
    /// construct with no faithful Swift type (then `reason` says which).
    case any(reason: String?)
}

struct ObjectShape {
    struct Property {
        var name: String
        var schema: SchemaOrRef
        var isRequired: Bool
    }

    var properties: [Property]
    /// `additionalProperties: false`: other keys are refused.
    var rejectsOtherKeys: Bool
    /// `additionalProperties: {schema}` beside properties: other keys kept.
    var otherKeys: SchemaOrRef?
}

extension SchemaShape {
    /// Decides the shape of `schema`; `resolve` looks up components (for allOf).
    static func of(_ schema: Schema, resolve: (Reference) -> Schema?) -> SchemaShape {
        if !schema.oneOf.isEmpty || !schema.anyOf.isEmpty {
            if !schema.properties.isEmpty {
                return .any(reason: "properties beside oneOf/anyOf")
            }
            return .union(schema.oneOf.isEmpty ? schema.anyOf : schema.oneOf, schema.discriminator)
        }
        if !schema.allOf.isEmpty {
            if schema.allOf.count == 1, schema.properties.isEmpty, case .reference(let reference) = schema.allOf[0] {
                return .alias(reference)
            }
            return mergedObject(schema, resolve: resolve)
        }
        if let values = schema.enumValues {
            let nonNull = values.filter { !$0.isNull }
            let strings = nonNull.compactMap(\.stringValue)
            if strings.count == nonNull.count, !strings.isEmpty, schema.types.allSatisfy({ $0 == .string }) {
                return .stringEnum(strings)
            }
            let integers = nonNull.compactMap { value -> Int? in
                if case .int(let number) = value { return number }
                return nil
            }
            if integers.count == nonNull.count, !integers.isEmpty, schema.types.allSatisfy({ $0 == .integer || $0 == .number }) {
                return .integerEnum(integers)
            }
        }
        if schema.isNullOnly { return .any(reason: nil) }
        let types = schema.types
        if types.count > 1 {
            return .any(reason: "a value of several types (\(types.map(\.rawValue).joined(separator: ", ")))")
        }
        switch types.first {
        case .string?: return .string(format: schema.format)
        case .integer?: return .integer(format: schema.format)
        case .number?: return .number(format: schema.format)
        case .boolean?: return .boolean
        case .array?: return .array(schema.items)
        case .object?, nil:
            if !schema.properties.isEmpty {
                return .object(objectShape(schema))
            }
            if case .schema(let values)? = schema.additionalProperties {
                return .map(values)
            }
            if types.first == .object {
                if case .allowed(false)? = schema.additionalProperties {
                    return .object(objectShape(schema))
                }
                return .map(nil)
            }
            if schema.items != nil { return .array(schema.items) }
            return .any(reason: nil)
        }
    }

    private static func objectShape(_ schema: Schema) -> ObjectShape {
        let required = Set(schema.required)
        var rejects = false
        var other: SchemaOrRef?
        switch schema.additionalProperties {
        case .allowed(false)?: rejects = true
        case .schema(let values)?: other = values
        default: break
        }
        return ObjectShape(
            properties: schema.properties.map { ObjectShape.Property(name: $0.key, schema: $0.value, isRequired: required.contains($0.key)) },
            rejectsOtherKeys: rejects,
            otherKeys: other
        )
    }

    /// `allOf` of object schemas: one struct with every branch's properties
    /// (first declaration wins) and the union of their required names.
    private static func mergedObject(_ schema: Schema, resolve: (Reference) -> Schema?) -> SchemaShape {
        var properties: [ObjectShape.Property] = []
        var seen = Set<String>()
        var required = Set(schema.required)
        var visited = Set<String>()

        func add(_ branch: Schema) -> Bool {
            for name in branch.required { required.insert(name) }
            for (name, property) in branch.properties where seen.insert(name).inserted {
                properties.append(ObjectShape.Property(name: name, schema: property, isRequired: false))
            }
            for nested in branch.allOf {
                guard merge(nested) else { return false }
            }
            let isObjectLike = branch.types.isEmpty || branch.types == [.object]
            return isObjectLike && branch.oneOf.isEmpty && branch.anyOf.isEmpty && branch.enumValues == nil
        }

        func merge(_ branch: SchemaOrRef) -> Bool {
            switch branch {
            case .value(let inline):
                return add(inline)
            case .reference(let reference):
                guard visited.insert(reference.name).inserted else { return true }
                guard let target = resolve(reference) else { return false }
                return add(target)
            }
        }

        for branch in schema.allOf {
            guard merge(branch) else {
                return .any(reason: "allOf whose branches are not all objects")
            }
        }
        guard add(Schema(source: schema.source)) else { return .any(reason: nil) }
        for (name, property) in schema.properties where seen.insert(name).inserted {
            properties.append(ObjectShape.Property(name: name, schema: property, isRequired: false))
        }
        for index in properties.indices {
            properties[index].isRequired = required.contains(properties[index].name)
        }
        var shape = objectShape(schema)
        shape.properties = properties
        return .object(shape)
    }
}
