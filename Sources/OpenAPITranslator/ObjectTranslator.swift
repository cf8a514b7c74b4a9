import OpenAPIModel
import SwiftRepresentation

/// One object schema → a struct with a stored property per schema property,
/// a memberwise initializer, a validating `init?(json:path:errors:)` and
/// `encode(to:)`.
///
///     public struct Token: Sendable, Equatable, JSONDecodable, JSONEncodable {
///         public var tokenID: UUID
///         public var lastUsedAt: Date?
///         ...
///     }
struct ObjectTranslator {
    let models: ModelTranslator
    let name: String
    let schema: Schema
    let shape: ObjectShape
    /// The component this type belongs to (for recursion checks).
    let owner: String

    /// A property as generated: its JSON key, Swift name, type and checks.
    private struct Member {
        var key: String
        var swiftName: String
        /// The local holding the decoded value in `init?(json:...)`: the
        /// property name unless it clashes with that initializer's own names.
        var localName: String
        var usage: ModelTranslator.Usage
        var isRequired: Bool
        var isBoxed: Bool
        var doc: String?

        /// Not required, and null allowed: absent and null are different
        /// values (JSON merge-patch), so the property is `T??`.
        var isTriState: Bool { !isRequired && usage.isNullable }

        /// `T` when required and never null; `T??` when optional and
        /// nullable (nil = absent, `.some(nil)` = null); `T?` otherwise.
        var type: TypeName {
            if isRequired && !usage.isNullable { return usage.type }
            if isTriState { return .optional(usage.type.asOptional) }
            return usage.type.asOptional
        }

        var bareName: String { SwiftNames.bare(swiftName) }
        var rulesName: String { bareName + "Rules" }
        var itemRulesName: String { bareName + "ItemRules" }
    }

    /// What the doc comment of a `T??` property adds.
    static let triStateDoc = "`nil` when absent; `.some(nil)` when `null`."

    /// Names the decoding initializer uses itself.
    static let decodingNames: Set<String> = ["json", "path", "errors", "object", "errorCount", "value", "index", "item", "additionalProperties"]

    func declaration() -> Declaration {
        var memberScope = NameScope(reserved: SwiftNames.unusableMemberNames.union(["encode", "additionalProperties"]))
        var localScope = NameScope(reserved: Self.decodingNames)
        var typeScope = NameScope(reserved: [name])
        var nested: [Declaration] = []
        let members: [Member] = shape.properties.map { property in
            // A nested type named like its parent would shadow it.
            let suggested = SwiftNames.typeName(property.name) == name ? property.name + "Value" : property.name
            let usage = models.usage(of: property.schema, suggested: suggested, owner: owner, scope: &typeScope, nested: &nested)
            let boxed = usage.component.map { models.isRecursive($0, owner: owner) } ?? false
            let swiftName = memberScope.unique(SwiftNames.memberName(property.name))
            var doc = propertyDoc(property.schema)
            if !property.isRequired && usage.isNullable {
                doc = (doc.map { $0 + "\n\n" } ?? "") + Self.triStateDoc
            }
            return Member(
                key: property.name,
                swiftName: swiftName,
                localName: localScope.unique(swiftName),
                usage: usage,
                isRequired: property.isRequired,
                isBoxed: boxed,
                doc: doc
            )
        }
        var others: ModelTranslator.Usage?
        if let otherKeys = shape.otherKeys {
            others = models.usage(of: otherKeys, suggested: "AdditionalProperty", owner: owner, scope: &typeScope, nested: &nested)
        }

        var body: [Declaration] = nested
        for member in members {
            body.append(.variable(VariableDeclaration(
                doc: member.doc,
                attributes: member.isBoxed ? ["@Indirect"] : [],
                name: member.swiftName,
                type: member.type
            )))
        }
        if let others {
            body.append(.variable(VariableDeclaration(
                doc: "Properties other than the declared ones, by name.",
                name: "additionalProperties",
                type: .dictionary(key: .named("String"), value: others.type)
            )))
        }
        body.append(memberwiseInitializer(members, others: others))
        body.append(.mark("JSON"))
        body += ruleConstants(members)
        body.append(decodingInitializer(members, others: others))
        body.append(encodeFunction(members, others: others))
        return .structure(StructDeclaration(
            doc: models.doc(schema),
            name: name,
            conformances: ["Sendable", "Equatable", "JSONDecodable", "JSONEncodable"],
            members: body
        ))
    }

    private func propertyDoc(_ schemaOrRef: SchemaOrRef) -> String? {
        switch schemaOrRef {
        case .reference(let reference):
            return reference.description ?? models.doc(models.resolve(reference))
        case .value(let schema):
            return models.doc(schema)
        }
    }

    private func memberwiseInitializer(_ members: [Member], others: ModelTranslator.Usage?) -> Declaration {
        var parameters = members.map { member in
            FunctionParameter(
                label: member.bareName, name: member.bareName, type: member.type,
                defaultValue: member.type == member.usage.type ? nil : .nil
            )
        }
        var body: [Statement] = members.map { member in
            .expression(.binary(.member(.self, member.bareName), "=", .identifier(member.swiftName)))
        }
        if let others {
            parameters.append(FunctionParameter(
                label: "additionalProperties", name: "additionalProperties",
                type: .dictionary(key: .named("String"), value: others.type),
                defaultValue: .identifier("[:]")
            ))
            body.append(.expression(.binary(.member(.self, "additionalProperties"), "=", .identifier("additionalProperties"))))
        }
        return .function(FunctionDeclaration(
            doc: "Creates a value from its properties.",
            kind: .initializer(failable: false),
            parameters: parameters,
            body: body
        ))
    }

    /// `private static let tokenLabelRules = StringRules(maxLength: 100)`,
    /// built once per process.
    private func ruleConstants(_ members: [Member]) -> [Declaration] {
        var constants: [Declaration] = []
        for member in members {
            if let rules = member.usage.rules {
                constants.append(.variable(VariableDeclaration(access: .private, isStatic: true, kind: .let, name: member.rulesName, value: rules)))
            }
            if let itemRules = member.usage.itemRules {
                constants.append(.variable(VariableDeclaration(access: .private, isStatic: true, kind: .let, name: member.itemRulesName, value: itemRules)))
            }
        }
        return constants
    }

    private func decodingInitializer(_ members: [Member], others: ModelTranslator.Usage?) -> Declaration {
        var body: [Statement] = [
            .guardStatement([.optionalBinding("object", .call(.member(.identifier("json"), "objectValue"), [
                Argument("at", .identifier("path")), Argument("errors", .inOut(.identifier("errors"))),
            ]))], elseBody: [.returnStatement(.nil)]),
            .binding(.let, "errorCount", nil, .member(.identifier("errors"), "count")),
        ]
        for member in members {
            let method: String
            var arguments: [Argument] = [.unlabeled(.typeReference(member.usage.type)), .unlabeled(.string(member.key))]
            if member.isRequired {
                method = member.usage.isNullable ? "requiredNullable" : "required"
            } else if member.isTriState {
                method = "optionalNullable"
            } else {
                method = "optional"
                arguments.append(Argument("nullable", .bool(member.usage.isNullable)))
            }
            arguments += [Argument("path", .identifier("path")), Argument("errors", .inOut(.identifier("errors")))]
            body.append(.binding(.let, member.localName, nil, .call(.member(.identifier("object"), method), arguments)))
            body += checks(for: member)
        }
        var known: [String] = []
        if shape.rejectsOtherKeys || others != nil {
            known = members.map(\.key)
        }
        if shape.rejectsOtherKeys {
            body.append(.expression(.call(.member(.identifier("object"), "rejectUnknownKeys"), [
                Argument("allowing", .arrayLiteral(known.map(Expression.string))),
                Argument("path", .identifier("path")), Argument("errors", .inOut(.identifier("errors"))),
            ])))
        }
        if let others {
            body.append(.binding(.let, "additionalProperties", nil, .call(.member(.identifier("object"), "additionalEntries"), [
                .unlabeled(.typeReference(others.type)),
                Argument("excluding", .arrayLiteral(known.map(Expression.string))),
                Argument("path", .identifier("path")), Argument("errors", .inOut(.identifier("errors"))),
            ])))
        }
        var conditions: [Condition] = [.boolean(.binary(.member(.identifier("errors"), "count"), "==", .identifier("errorCount")))]
        conditions += members.map { .optionalBinding($0.localName, nil) }
        if others != nil { conditions.append(.optionalBinding("additionalProperties", nil)) }
        body.append(.guardStatement(conditions, elseBody: [.returnStatement(.nil)]))
        var arguments = members.map { Argument($0.bareName, .identifier($0.localName)) }
        if others != nil { arguments.append(Argument("additionalProperties", .identifier("additionalProperties"))) }
        body.append(.expression(.call(.member(.self, "init"), arguments)))
        return .function(FunctionDeclaration(
            doc: "Decodes and validates a value; on failure, every problem is in `errors`.",
            kind: .initializer(failable: true),
            parameters: [
                FunctionParameter(label: "json", name: "json", type: .named("JSON")),
                FunctionParameter(label: "path", name: "path", type: .named("FieldPath")),
                FunctionParameter(label: "errors", name: "errors", type: .named("ValidationErrors"), isInout: true),
            ],
            body: body
        ))
    }

    /// `if let value = tokenLabel { Self.tokenLabelRules.check(...) }`
    private func checks(for member: Member) -> [Statement] {
        guard member.usage.rules != nil || member.usage.itemRules != nil else { return [] }
        let fieldPath = Expression.call(.member(.identifier("path"), "appending"), [.unlabeled(.string(member.key))])
        var inner: [Statement] = []
        if member.usage.rules != nil {
            inner.append(.expression(.call(.member(.member(.identifier("Self"), member.rulesName), "check"), [
                .unlabeled(.identifier("value")), Argument("at", fieldPath), Argument("errors", .inOut(.identifier("errors"))),
            ])))
        }
        if member.usage.itemRules != nil {
            let check = Statement.expression(.call(.member(.member(.identifier("Self"), member.itemRulesName), "check"), [
                .unlabeled(.identifier("item")),
                Argument("at", .call(.member(fieldPath, "appending"), [Argument("index", .identifier("index"))])),
                Argument("errors", .inOut(.identifier("errors"))),
            ]))
            // Null items (allowed by a nullable item schema) have nothing to check.
            let body: [Statement] = member.usage.itemsAreOptional
                ? [.ifStatement([.optionalBinding("item", nil)], body: [check], elseBody: nil)]
                : [check]
            inner.append(.forIn(pattern: "(index, item)", sequence: .call(.member(.identifier("value"), "enumerated"), []), body: body))
        }
        // `required` yields T?, `optional` and `requiredNullable` yield T??,
        // `optionalNullable` yields T??? (checked only when it holds a value);
        // a nullable alias (`typealias Note = String?`) adds one more level.
        var levels = member.isTriState ? 3 : member.isRequired && !member.usage.isNullable ? 1 : 2
        if member.usage.isOptionalAlias { levels += 1 }
        let condition: Condition
        switch levels {
        case 1:
            condition = .optionalBinding("value", .identifier(member.localName))
        case 2:
            condition = .optionalBinding("value", .binary(.identifier(member.localName), "??", .nil))
        default:
            var pattern = Expression.binding("value")
            for _ in 0..<levels { pattern = .optionalPattern(pattern) }
            condition = .casePattern(pattern, .identifier(member.localName))
        }
        return [.ifStatement([condition], body: inner, elseBody: nil)]
    }

    private func encodeFunction(_ members: [Member], others: ModelTranslator.Usage?) -> Declaration {
        var body: [Statement] = [.expression(.call(.member(.identifier("writer"), "beginObject"), []))]
        for member in members {
            var arguments: [Argument] = [.unlabeled(.string(member.key)), .unlabeled(.member(.self, member.bareName))]
            // `T??` members use the overload that omits nil and writes `.some(nil)` as null.
            if member.type != member.usage.type && !member.isTriState {
                arguments.append(Argument("nullable", .bool(member.usage.isNullable)))
            }
            body.append(.expression(.call(.member(.identifier("writer"), "field"), arguments)))
        }
        if others != nil {
            body.append(.comment("Sorted, so the same value always encodes to the same bytes."))
            body.append(.forIn(pattern: "(key, value)", sequence: .call(.member(.member(.self, "additionalProperties"), "sorted"), [Argument("by", .closure(Closure(body: [
                .expression(.binary(.member(.identifier("$0"), "key"), "<", .member(.identifier("$1"), "key"))),
            ])))]), body: [
                .expression(.call(.member(.identifier("writer"), "field"), [.unlabeled(.identifier("key")), .unlabeled(.identifier("value"))])),
            ]))
        }
        body.append(.expression(.call(.member(.identifier("writer"), "endObject"), [])))
        return .function(FunctionDeclaration(
            doc: "Writes the value as a JSON object.",
            kind: .function(name: "encode"),
            parameters: [FunctionParameter(label: "to", name: "writer", type: .named("JSONWriter"), isInout: true)],
            body: body
        ))
    }
}
