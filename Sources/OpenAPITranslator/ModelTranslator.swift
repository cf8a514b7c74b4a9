import GeneratorDiagnostics
import OpenAPIModel
import SwiftRepresentation

/// Translates schemas into Swift types: component schemas become members of
/// `public enum Schemas`, inline object/enum/union schemas become types
/// nested in the type that uses them.
///
/// Every generated type decodes itself from a runtime `JSON` value, checking
/// what its schema says (required, types, enums, formats, bounds, lengths,
/// patterns, array rules, unknown keys when refused) and naming each bad
/// field, and encodes itself with a `JSONWriter`. No reflection, no Codable.
final class ModelTranslator {
    let document: OpenAPIDocument
    var diagnostics: DiagnosticCollector
    /// Component schema name → Swift type name inside `Schemas`.
    private(set) var typeNames: [String: String] = [:]
    private var directReferences: [String: Set<String>] = [:]
    private var reachability: [String: Set<String>] = [:]

    init(document: OpenAPIDocument, diagnostics: DiagnosticCollector) {
        self.document = document
        self.diagnostics = diagnostics
        var scope = NameScope()
        for name in document.components.schemas.keys {
            typeNames[name] = scope.unique(SwiftNames.typeName(name))
        }
        for (name, schema) in document.components.schemas {
            directReferences[name] = directReferences(of: schema)
        }
    }

    /// The qualified Swift type of a component schema.
    func qualifiedName(of component: String) -> String {
        "Schemas." + (typeNames[component] ?? SwiftNames.typeName(component))
    }

    /// `public enum Schemas { ... }` with one member per component schema.
    func schemasNamespace() -> Declaration {
        Self.schemasNamespace(members: schemaGroups().flatMap(\.declarations))
    }

    /// `public enum Schemas` holding `members`.
    static func schemasNamespace(members: [Declaration]) -> Declaration {
        .enumeration(EnumDeclaration(
            doc: "The schemas of `components/schemas`, one type each.",
            name: "Schemas",
            members: members
        ))
    }

    /// The members of `Schemas`, grouped by the component schema they come
    /// from (its type, and the inline types declared beside an alias), in
    /// the spec's order: a group is what a split output keeps in one file.
    func schemaGroups() -> [(component: String, declarations: [Declaration])] {
        var groups: [(component: String, declarations: [Declaration])] = []
        // Inline types of alias components (an array of inline objects) are
        // declared beside them, so their names share this scope.
        var scope = NameScope(reserved: Set(typeNames.values.map(SwiftNames.bare)))
        for (name, schemaOrRef) in document.components.schemas {
            let typeName = typeNames[name]!
            switch schemaOrRef {
            case .reference(let reference):
                groups.append((name, [.typeAlias(TypeAliasDeclaration(doc: reference.description, name: typeName, type: .named(qualifiedName(of: reference.name))))]))
            case .value(let schema):
                groups.append((name, componentDeclarations(name: typeName, component: name, schema: schema, scope: &scope)))
            }
        }
        return groups
    }

    private func componentDeclarations(name: String, component: String, schema: Schema, scope: inout NameScope) -> [Declaration] {
        let shape = SchemaShape.of(schema, resolve: resolve)
        if let declaration = typeDeclaration(name: name, schema: schema, shape: shape, owner: component) {
            return [declaration]
        }
        var nested: [Declaration] = []
        let usage = self.usage(of: .value(schema), suggested: name, owner: component, scope: &scope, nested: &nested)
        let type = usage.isNullable ? usage.type.asOptional : usage.type
        return [.typeAlias(TypeAliasDeclaration(doc: doc(schema), name: name, type: type))] + nested
    }

    // MARK: Resolving

    /// The schema a component reference finally names (following aliases of aliases).
    func resolve(_ reference: Reference) -> Schema? {
        document.components.schemas.resolve(reference.name)
    }

    func resolve(_ schemaOrRef: SchemaOrRef) -> Schema? {
        switch schemaOrRef {
        case .value(let schema): return schema
        case .reference(let reference): return resolve(reference)
        }
    }

    // MARK: Recursion

    /// Components a schema holds by value (not inside arrays or maps, which
    /// are already heap storage): the edges along which a struct could
    /// contain itself.
    private func directReferences(of schemaOrRef: SchemaOrRef) -> Set<String> {
        switch schemaOrRef {
        case .reference(let reference):
            return [reference.name]
        case .value(let schema):
            switch SchemaShape.of(schema, resolve: resolve) {
            case .object(let shape):
                var result = Set<String>()
                for property in shape.properties { result.formUnion(directReferences(of: property.schema)) }
                return result
            case .alias(let reference):
                return [reference.name]
            default:
                return []
            }
        }
    }

    /// Whether `component` can reach `owner` by value: then a property of
    /// `owner` holding `component` must be boxed.
    func isRecursive(_ component: String, owner: String) -> Bool {
        if component == owner { return true }
        if reachability[component] == nil {
            var seen = Set<String>()
            var stack = [component]
            while let next = stack.popLast() {
                for target in directReferences[next] ?? [] where seen.insert(target).inserted {
                    stack.append(target)
                }
            }
            reachability[component] = seen
        }
        return reachability[component]!.contains(owner)
    }

    // MARK: Types in use

    /// How a schema is used as a value: its Swift type, whether null is
    /// allowed, the rules to check on it and on its items.
    struct Usage {
        var type: TypeName
        var isNullable: Bool
        var rules: Expression?
        var itemRules: Expression?
        /// True for arrays whose items may be null (`[T?]`).
        var itemsAreOptional = false
        /// The component held by value, for recursion checks.
        var component: String?
        /// True when `type` names a nullable alias component, which is
        /// itself an optional (`typealias Note = String?`).
        var isOptionalAlias = false
    }

    func usage(of schemaOrRef: SchemaOrRef, suggested: String, owner: String, scope: inout NameScope, nested: inout [Declaration]) -> Usage {
        switch schemaOrRef {
        case .reference(let reference):
            let target = resolve(reference)
            var usage = Usage(type: .named(qualifiedName(of: reference.name)), isNullable: target?.isNullable ?? false, component: reference.name)
            if let target, !definesType(target) {
                // A component that is an alias of a primitive or array: its
                // constraints apply wherever it is used.
                let rules = ruleExpressions(for: target)
                usage.rules = rules.value
                usage.itemRules = rules.items
                usage.isOptionalAlias = target.isNullable
                if case .array(let items?) = SchemaShape.of(target, resolve: resolve) {
                    usage.itemsAreOptional = resolve(items)?.isNullable ?? false
                }
            }
            return usage
        case .value(let schema):
            let shape = SchemaShape.of(schema, resolve: resolve)
            let rules = ruleExpressions(for: schema)
            var usage = Usage(type: .named("JSON"), isNullable: schema.isNullable, rules: rules.value, itemRules: rules.items)
            switch shape {
            case .object, .stringEnum, .integerEnum, .union:
                let name = scope.unique(SwiftNames.typeName(suggested))
                if let declaration = typeDeclaration(name: name, schema: schema, shape: shape, owner: owner) {
                    nested.append(declaration)
                    usage.type = .named(name)
                }
                usage.rules = nil
            case .map(let values):
                let value = values.map { self.usage(of: $0, suggested: suggested + "Value", owner: owner, scope: &scope, nested: &nested) }
                usage.type = .dictionary(key: .named("String"), value: value.map(valueType) ?? .named("JSON"))
            case .array(let items):
                let item = items.map { self.usage(of: $0, suggested: suggested + "Item", owner: owner, scope: &scope, nested: &nested) }
                usage.type = .array(item.map(valueType) ?? .named("JSON"))
                usage.itemRules = item?.rules
                usage.itemsAreOptional = item?.isNullable ?? false
            case .alias(let reference):
                var aliased = self.usage(of: .reference(reference), suggested: suggested, owner: owner, scope: &scope, nested: &nested)
                aliased.isNullable = aliased.isNullable || schema.isNullable
                return aliased
            case .string(let format):
                switch format {
                case "uuid": usage.type = .named("UUID")
                case "date-time": usage.type = .named("Date")
                default: usage.type = .named("String")
                }
            case .integer(let format):
                usage.type = .named(format == "int32" ? "Int32" : format == "int64" ? "Int64" : "Int")
            case .number(let format):
                usage.type = .named(format == "float" ? "Float" : "Double")
            case .boolean:
                usage.type = .named("Bool")
            case .any(let reason):
                if let reason {
                    diagnostics.warning("\(reason) has no faithful Swift type; it is kept as a raw JSON value", at: schema.source)
                }
                usage.type = .named("JSON")
            }
            return usage
        }
    }

    /// Items of arrays and values of maps that may be null hold optionals.
    private func valueType(_ usage: Usage) -> TypeName {
        usage.isNullable ? usage.type.asOptional : usage.type
    }

    /// True when the schema becomes a type of its own (which checks itself).
    private func definesType(_ schema: Schema) -> Bool {
        switch SchemaShape.of(schema, resolve: resolve) {
        case .object, .stringEnum, .integerEnum, .union: return true
        default: return false
        }
    }

    // MARK: Declarations

    /// A struct, enum or union for shapes that define a type; nil otherwise.
    func typeDeclaration(name: String, schema: Schema, shape: SchemaShape, owner: String) -> Declaration? {
        switch shape {
        case .object(let object):
            return ObjectTranslator(models: self, name: name, schema: schema, shape: object, owner: owner).declaration()
        case .stringEnum(let values):
            var scope = NameScope()
            let cases = values.map { value in
                Declaration.enumCase(EnumCaseDeclaration(name: scope.unique(SwiftNames.memberName(value.isEmpty ? "empty" : value)), rawValue: .string(value)))
            }
            return .enumeration(EnumDeclaration(doc: doc(schema), name: name, conformances: ["String", "JSONStringEnum"], members: cases))
        case .integerEnum(let values):
            var scope = NameScope()
            let cases = values.map { value in
                Declaration.enumCase(EnumCaseDeclaration(name: scope.unique(value < 0 ? "_minus\(value.magnitude)" : "_\(value)"), rawValue: .int(value)))
            }
            return .enumeration(EnumDeclaration(doc: doc(schema), name: name, conformances: ["Int", "JSONIntEnum"], members: cases))
        case .union(let branches, let discriminator):
            return UnionTranslator(models: self, name: name, schema: schema, branches: branches, discriminator: discriminator, owner: owner).declaration()
        default:
            return nil
        }
    }

    /// The schema's description (and deprecation) as a doc comment.
    func doc(_ schema: Schema?, fallback: String? = nil) -> String? {
        var lines: [String] = []
        if let title = schema?.title, !title.isEmpty, title != schema?.description { lines.append(title) }
        if let description = schema?.description ?? fallback, !description.isEmpty {
            if !lines.isEmpty { lines.append("") }
            lines.append(description.trimmingTrailingNewlines)
        }
        if schema?.deprecated == true {
            if !lines.isEmpty { lines.append("") }
            lines.append("- Note: Deprecated.")
        }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

    // MARK: Validation rules

    /// Rule constructors for a schema's own constraints, and its items'.
    func ruleExpressions(for schema: Schema) -> (value: Expression?, items: Expression?) {
        let shape = SchemaShape.of(schema, resolve: resolve)
        switch shape {
        case .string:
            var arguments: [Argument] = []
            if let min = schema.minLength { arguments.append(Argument("minLength", .int(min))) }
            if let max = schema.maxLength { arguments.append(Argument("maxLength", .int(max))) }
            if let pattern = schema.pattern {
                arguments.append(Argument("pattern", .call(.identifier("Pattern"), [.unlabeled(.string(pattern))])))
            }
            switch schema.format {
            case "date"?: arguments.append(Argument("format", .member(nil, "date")))
            case "email"?: arguments.append(Argument("format", .member(nil, "email")))
            case "uri"?: arguments.append(Argument("format", .member(nil, "uri")))
            default: break
            }
            return (arguments.isEmpty ? nil : .call(.identifier("StringRules"), arguments), nil)
        case .integer:
            var arguments: [Argument] = []
            if let min = schema.minimum { arguments += integerBound("minimum", "exclusiveMinimum", min, schema: schema) }
            if let max = schema.maximum { arguments += integerBound("maximum", "exclusiveMaximum", max, schema: schema) }
            if let multiple = schema.multipleOf, multiple == multiple.rounded(), abs(multiple) < 9.0e18 {
                arguments.append(Argument("multipleOf", .int(Int(multiple))))
            }
            return (arguments.isEmpty ? nil : .call(.identifier("IntegerRules"), arguments), nil)
        case .number:
            var arguments: [Argument] = []
            if let min = schema.minimum {
                arguments.append(Argument("minimum", .literal(.number(Self.doubleLiteral(min.value)))))
                if min.isExclusive { arguments.append(Argument("exclusiveMinimum", .bool(true))) }
            }
            if let max = schema.maximum {
                arguments.append(Argument("maximum", .literal(.number(Self.doubleLiteral(max.value)))))
                if max.isExclusive { arguments.append(Argument("exclusiveMaximum", .bool(true))) }
            }
            if let multiple = schema.multipleOf {
                arguments.append(Argument("multipleOf", .literal(.number(Self.doubleLiteral(multiple)))))
            }
            return (arguments.isEmpty ? nil : .call(.identifier("NumberRules"), arguments), nil)
        case .array(let items):
            var arguments: [Argument] = []
            if let min = schema.minItems { arguments.append(Argument("minItems", .int(min))) }
            if let max = schema.maxItems { arguments.append(Argument("maxItems", .int(max))) }
            if schema.uniqueItems { arguments.append(Argument("uniqueItems", .bool(true))) }
            let itemRules = items.flatMap { item -> Expression? in
                guard let itemSchema = resolve(item), !definesType(itemSchema) else { return nil }
                return ruleExpressions(for: itemSchema).value
            }
            return (arguments.isEmpty ? nil : .call(.identifier("ArrayRules"), arguments), itemRules)
        default:
            return (nil, nil)
        }
    }

    private func integerBound(_ label: String, _ exclusiveLabel: String, _ bound: NumericBound, schema: Schema) -> [Argument] {
        guard bound.value == bound.value.rounded(), abs(bound.value) < 9.0e18 else {
            diagnostics.warning("\(label) \(bound.text) of an integer is not a whole number; it is not checked", at: schema.source)
            return []
        }
        var arguments = [Argument(label, .int(Int(bound.value)))]
        if bound.isExclusive { arguments.append(Argument(exclusiveLabel, .bool(true))) }
        return arguments
    }

    /// A Swift floating-point literal for a bound (`1000.0`, `0.5`, `1e-07`).
    static func doubleLiteral(_ value: Double) -> String {
        let text = "\(value)"
        return text.contains(".") || text.contains("e") ? text : text + ".0"
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var text = self
        while text.last == "\n" || text.last == " " { text.removeLast() }
        return text
    }
}
