import GeneratorDiagnostics
import OpenAPIModel
import YAMLLoader

extension ModelBuilder {
    /// Keywords beside `$ref` that only annotate it: they do not turn the
    /// reference into a new schema.
    private static let referenceAnnotations: Set<String> = ["$ref", "description", "summary"]

    /// JSON Schema keywords the generator knows but does not model; each is
    /// reported once where it stands, and the rest of the schema still applies.
    private static let unsupportedKeywords: Set<String> = [
        "if", "then", "else", "dependentSchemas", "dependentRequired", "patternProperties",
        "propertyNames", "unevaluatedProperties", "unevaluatedItems", "contains", "minContains",
        "maxContains", "$dynamicRef", "$dynamicAnchor", "$anchor", "$recursiveRef",
        "$recursiveAnchor", "contentSchema", "dependencies",
    ]

    /// Keywords read and deliberately dropped: annotations no generated code uses.
    private static let ignoredKeywords: Set<String> = [
        "xml", "externalDocs", "$schema", "$id", "$comment", "$defs", "definitions",
        "contentMediaType", "contentEncoding", "$vocabulary",
    ]

    /// A schema position: a `$ref` (bundled if needed), a boolean schema, or a
    /// schema object.
    func schemaOrRef(_ node: YAMLNode) -> SchemaOrRef {
        if let entries = node.mapping, let refEntry = entries.first(where: { $0.key.scalar?.text == "$ref" }) {
            let reference = self.reference(in: node, refNode: refEntry.value, kind: .schemas, section: \.schemas, build: schemaOrRef)
            let siblings = entries.filter { !Self.referenceAnnotations.contains($0.key.scalar?.text ?? "") }
            guard !siblings.isEmpty else {
                return reference.map(SchemaOrRef.reference) ?? .value(Schema(source: node.location))
            }
            // `$ref` beside constraints (3.1 semantics, and what 3.0 authors
            // mean by `$ref` + `nullable`): the referenced schema AND the rest.
            var schema = self.schema(node, skippingReference: true)
            if let reference {
                schema.allOf.insert(.reference(reference), at: 0)
            }
            return .value(schema)
        }
        return .value(schema(node, skippingReference: false))
    }

    /// A Schema Object (or a boolean schema: `true` accepts anything, `false` nothing).
    func schema(_ node: YAMLNode, skippingReference: Bool) -> Schema {
        var schema = Schema(source: node.location)
        if case .bool(let accepts)? = node.scalar?.value {
            if !accepts { schema.not = .value(Schema(source: node.location)) }
            return schema
        }
        guard let entries = entries(node, "a schema") else { return schema }

        var exclusiveMinimum: YAMLNode?
        var exclusiveMaximum: YAMLNode?
        for entry in entries {
            guard let key = keyText(entry.key) else { continue }
            let value = entry.value
            switch key {
            case "$ref":
                if !skippingReference {
                    diagnostics.error("'$ref' must be the schema's own key", at: entry.key.location)
                }
            case "type":
                readTypes(value, into: &schema)
            case "nullable":
                if bool(value, key) == true { schema.isNullable = true }
            case "format": schema.format = string(value, key)
            case "title": schema.title = string(value, key)
            case "description": schema.description = string(value, key)
            case "enum":
                schema.enumValues = items(value, key)?.map(jsonValue)
            case "const": schema.constValue = jsonValue(value)
            case "default": schema.defaultValue = jsonValue(value)
            case "example": schema.examples.append(jsonValue(value))
            case "examples":
                if let list = value.sequence {
                    schema.examples.append(contentsOf: list.map(jsonValue))
                } else {
                    diagnostics.warning("'examples' in a schema is a list of values; this one is ignored", at: value.location)
                }
            case "properties":
                guard let properties = self.entries(value, "'properties'") else { continue }
                for property in properties {
                    guard let name = keyText(property.key) else { continue }
                    schema.properties[name] = schemaOrRef(property.value)
                }
            case "required":
                if case .bool? = value.scalar?.value {
                    diagnostics.warning("'required: \(value.scalar!.text)' has no effect inside a schema; list the property in its parent's 'required'", at: value.location)
                } else if let names = strings(value, key) {
                    schema.required = names
                }
            case "additionalProperties":
                if case .bool(let allowed)? = value.scalar?.value {
                    schema.additionalProperties = .allowed(allowed)
                } else {
                    schema.additionalProperties = .schema(schemaOrRef(value))
                }
            case "minProperties": schema.minProperties = nonNegativeInt(value, key)
            case "maxProperties": schema.maxProperties = nonNegativeInt(value, key)
            case "discriminator": schema.discriminator = discriminator(value)
            case "items":
                if let tuple = value.sequence {
                    diagnostics.warning("'items' as a list is the pre-2020 tuple form; read as 'prefixItems'", at: value.location)
                    schema.prefixItems = tuple.map(schemaOrRef)
                } else {
                    schema.items = schemaOrRef(value)
                }
            case "prefixItems": schema.prefixItems = items(value, key)?.map(schemaOrRef) ?? []
            case "minItems": schema.minItems = nonNegativeInt(value, key)
            case "maxItems": schema.maxItems = nonNegativeInt(value, key)
            case "uniqueItems": schema.uniqueItems = bool(value, key) ?? false
            case "allOf": schema.allOf += items(value, key)?.map(schemaOrRef) ?? []
            case "oneOf": schema.oneOf = items(value, key)?.map(schemaOrRef) ?? []
            case "anyOf": schema.anyOf = items(value, key)?.map(schemaOrRef) ?? []
            case "not": schema.not = schemaOrRef(value)
            case "minimum":
                if let number = number(value, key) { schema.minimum = NumericBound(value: number.value, text: number.text, isExclusive: false) }
            case "maximum":
                if let number = number(value, key) { schema.maximum = NumericBound(value: number.value, text: number.text, isExclusive: false) }
            case "exclusiveMinimum": exclusiveMinimum = value
            case "exclusiveMaximum": exclusiveMaximum = value
            case "multipleOf":
                if let number = number(value, key) {
                    if number.value > 0 {
                        schema.multipleOf = number.value
                    } else {
                        diagnostics.error("'multipleOf' must be greater than 0", at: value.location)
                    }
                }
            case "minLength": schema.minLength = nonNegativeInt(value, key)
            case "maxLength": schema.maxLength = nonNegativeInt(value, key)
            case "pattern": schema.pattern = string(value, key)
            case "readOnly": schema.readOnly = bool(value, key) ?? false
            case "writeOnly": schema.writeOnly = bool(value, key) ?? false
            case "deprecated": schema.deprecated = bool(value, key) ?? false
            default:
                if key.hasPrefix("x-") {
                    schema.extensions[key] = jsonValue(value)
                } else if Self.unsupportedKeywords.contains(key) {
                    diagnostics.warning("the JSON Schema keyword '\(key)' is not supported; it is ignored", at: entry.key.location)
                } else if !Self.ignoredKeywords.contains(key) {
                    diagnostics.warning("unknown schema keyword '\(key)' is ignored", at: entry.key.location)
                }
            }
        }
        if let node = exclusiveMinimum { applyExclusive(node, "exclusiveMinimum", to: &schema.minimum) }
        if let node = exclusiveMaximum { applyExclusive(node, "exclusiveMaximum", to: &schema.maximum) }
        checkBounds(schema)
        return schema
    }

    /// `type: string`, `type: [string, "null"]`, or `type: "null"`.
    private func readTypes(_ node: YAMLNode, into schema: inout Schema) {
        let names: [YAMLNode]
        if let list = node.sequence {
            names = list
        } else {
            names = [node]
        }
        var types: [JSONType] = []
        var sawNull = false
        for name in names {
            guard let text = name.scalar?.text, name.scalar?.isString == true || name.scalar?.value == .null else {
                diagnostics.error("'type' must be a type name or a list of them, not \(name.kindDescription)", at: name.location)
                continue
            }
            if text == "null" || name.scalar?.value == .null {
                sawNull = true
            } else if let type = JSONType(rawValue: text) {
                if !types.contains(type) { types.append(type) }
            } else {
                diagnostics.error("unknown type '\(text)'; expected string, number, integer, boolean, array, object or null", at: name.location)
            }
        }
        schema.types = types
        if sawNull {
            schema.isNullable = true
            schema.isNullOnly = types.isEmpty
        }
    }

    /// 3.0: `exclusiveMinimum: true` makes `minimum` exclusive.
    /// 3.1: `exclusiveMinimum: 5` is an exclusive bound of its own.
    private func applyExclusive(_ node: YAMLNode, _ key: String, to bound: inout NumericBound?) {
        switch node.scalar?.value {
        case .bool(let exclusive)?:
            if exclusive {
                if bound == nil {
                    diagnostics.warning("'\(key): true' needs '\(key == "exclusiveMinimum" ? "minimum" : "maximum")' beside it; it is ignored", at: node.location)
                }
                bound?.isExclusive = true
            }
        default:
            guard let number = number(node, key) else { return }
            bound = NumericBound(value: number.value, text: number.text, isExclusive: true)
        }
    }

    private func checkBounds(_ schema: Schema) {
        if let min = schema.minLength, let max = schema.maxLength, min > max {
            diagnostics.warning("minLength \(min) is greater than maxLength \(max): no string can match", at: schema.source)
        }
        if let min = schema.minItems, let max = schema.maxItems, min > max {
            diagnostics.warning("minItems \(min) is greater than maxItems \(max): no list can match", at: schema.source)
        }
        if let min = schema.minimum, let max = schema.maximum, min.value > max.value {
            diagnostics.warning("minimum \(min.text) is greater than maximum \(max.text): no number can match", at: schema.source)
        }
    }

    private func discriminator(_ node: YAMLNode) -> Discriminator? {
        guard let entries = entries(node, "'discriminator'") else { return nil }
        var propertyName: String?
        var mapping = OrderedDictionary<String>()
        for entry in entries {
            guard let key = keyText(entry.key) else { continue }
            switch key {
            case "propertyName":
                propertyName = string(entry.value, key)
            case "mapping":
                guard let pairs = self.entries(entry.value, "'mapping'") else { continue }
                for pair in pairs {
                    guard let value = pair.key.scalar?.text, let target = string(pair.value, value) else { continue }
                    mapping[value] = discriminatorTarget(target, node: pair.value)
                }
            default:
                if !key.hasPrefix("x-") {
                    diagnostics.warning("unknown key '\(key)' in a discriminator is ignored", at: entry.key.location)
                }
            }
        }
        guard let propertyName else {
            missing("propertyName", in: "a discriminator", at: node)
            return nil
        }
        return Discriminator(propertyName: propertyName, mapping: mapping, source: node.location)
    }

    /// A mapping value is a schema name or a `$ref`. Names and refs to the
    /// root's own schemas are kept as `#/components/schemas/Name` (whether the
    /// schema exists is checked later, as a warning: the mapping is a hint, and
    /// real specs carry stale ones); refs to other files are bundled.
    private func discriminatorTarget(_ text: String, node: YAMLNode) -> String {
        let local = "#/components/schemas/"
        if text.hasPrefix(local) { return text }
        guard text.contains("#") || text.contains("/") || text.hasSuffix(".yaml") || text.hasSuffix(".json") || text.hasSuffix(".yml") else {
            return local + JSONPointer.escape(text)
        }
        let holder = YAMLNode(.mapping([YAMLMappingEntry(key: YAMLNode(.scalar(YAMLScalar(text: "$ref", style: .plain, value: .string)), at: node.location), value: node)]), at: node.location)
        guard let reference = reference(in: holder, refNode: node, kind: .schemas, section: \.schemas, build: schemaOrRef) else {
            return text
        }
        return reference.ref
    }
}
