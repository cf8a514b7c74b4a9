import OpenAPIModel
import SwiftRepresentation

/// `oneOf`/`anyOf` → an enum with one case per branch, each holding the
/// branch's value.
///
/// With a `discriminator` whose branches are all references, decoding reads
/// the tag property and decodes only the branch it names (explicit mapping,
/// then the schema names themselves, as OpenAPI specifies). Without one, the
/// branches are tried in order and the first that decodes and validates
/// wins; that is exact for `anyOf`, and for `oneOf` whose branches cannot
/// both match, which is how real specs use it.
struct UnionTranslator {
    let models: ModelTranslator
    let name: String
    let schema: Schema
    let branches: [SchemaOrRef]
    let discriminator: Discriminator?
    let owner: String

    private struct Case {
        var name: String
        var usage: ModelTranslator.Usage
        var component: String?
        var label: String
        var rulesName: String { SwiftNames.bare(name) + "Rules" }
    }

    func declaration() -> Declaration {
        var caseScope = NameScope(reserved: SwiftNames.unusableMemberNames.union(["encode"]))
        var typeScope = NameScope(reserved: [name])
        var nested: [Declaration] = []
        let cases: [Case] = branches.enumerated().map { index, branch in
            let usage = models.usage(of: branch, suggested: "Variant\(index + 1)", owner: owner, scope: &typeScope, nested: &nested)
            let component = branch.reference?.name
            let preferred: String
            let label: String
            if let component {
                preferred = SwiftNames.memberName(component)
                label = component
            } else {
                (preferred, label) = Self.caseName(for: usage.type, index: index)
            }
            return Case(name: caseScope.unique(preferred), usage: usage, component: component, label: label)
        }

        var members: [Declaration] = nested
        for item in cases {
            members.append(.enumCase(EnumCaseDeclaration(name: item.name, associatedValues: [.init(type: item.usage.type)])))
        }
        members.append(.mark("JSON"))
        for item in cases {
            if let rules = item.usage.rules {
                members.append(.variable(VariableDeclaration(access: .private, isStatic: true, kind: .let, name: item.rulesName, value: rules)))
            }
        }
        members.append(decodingInitializer(cases))
        members.append(encodeFunction(cases))
        return .enumeration(EnumDeclaration(
            doc: models.doc(schema),
            isIndirect: true,
            name: name,
            conformances: ["Sendable", "Equatable", "JSONDecodable", "JSONEncodable"],
            members: members
        ))
    }

    private static func caseName(for type: TypeName, index: Int) -> (String, String) {
        switch type {
        case .named("String"), .named("UUID"), .named("Date"): return ("string", "string")
        case .named("Int"), .named("Int32"), .named("Int64"): return ("integer", "integer")
        case .named("Double"), .named("Float"): return ("number", "number")
        case .named("Bool"): return ("boolean", "boolean")
        case .array: return ("array", "array")
        case .dictionary: return ("object", "object")
        case .named("JSON"): return ("json", "any value")
        case .named(let name): return (SwiftNames.memberName(name), name)
        default: return ("variant\(index + 1)", "variant \(index + 1)")
        }
    }

    private var decodeParameters: [FunctionParameter] {
        [
            FunctionParameter(label: "json", name: "json", type: .named("JSON")),
            FunctionParameter(label: "path", name: "path", type: .named("FieldPath")),
            FunctionParameter(label: "errors", name: "errors", type: .named("ValidationErrors"), isInout: true),
        ]
    }

    private func decodingInitializer(_ cases: [Case]) -> Declaration {
        let body: [Statement]
        if let discriminator, cases.allSatisfy({ $0.component != nil }) {
            body = discriminatedDecoding(cases, discriminator)
        } else {
            body = orderedDecoding(cases)
        }
        return .function(FunctionDeclaration(
            doc: "Decodes the one branch the value matches; on failure, the problems are in `errors`.",
            kind: .initializer(failable: true),
            parameters: decodeParameters,
            body: body
        ))
    }

    private func decode(_ item: Case, errors: String) -> Expression {
        .call(.type(item.usage.type), [
            Argument("json", .identifier("json")), Argument("path", .identifier("path")), Argument("errors", .inOut(.identifier(errors))),
        ])
    }

    private func orderedDecoding(_ cases: [Case]) -> [Statement] {
        var body: [Statement] = [.binding(.var, "attempt", nil, .call(.identifier("ValidationErrors"), []))]
        for (index, item) in cases.enumerated() {
            if index > 0 {
                body.append(.expression(.binary(.identifier("attempt"), "=", .call(.identifier("ValidationErrors"), []))))
            }
            var success: [Statement] = []
            if item.usage.rules != nil {
                success.append(.expression(.call(.member(.member(.identifier("Self"), item.rulesName), "check"), [
                    .unlabeled(.identifier("value")), Argument("at", .identifier("path")), Argument("errors", .inOut(.identifier("attempt"))),
                ])))
            }
            let assign: [Statement] = [
                .expression(.binary(.self, "=", .call(.member(nil, item.name), [.unlabeled(.identifier("value"))]))),
                .returnStatement(nil),
            ]
            if item.usage.rules != nil {
                success.append(.ifStatement([.boolean(.member(.identifier("attempt"), "isEmpty"))], body: assign, elseBody: nil))
            } else {
                success += assign
            }
            body.append(.ifStatement([.optionalBinding("value", decode(item, errors: "attempt"))], body: success, elseBody: nil))
        }
        let labels = cases.map(\.label).joined(separator: ", ")
        body.append(.expression(.call(.member(.identifier("errors"), "add"), [
            .unlabeled(.identifier("path")), .unlabeled(.string("must match one of: \(labels)")),
        ])))
        body.append(.returnStatement(.nil))
        return body
    }

    private func discriminatedDecoding(_ cases: [Case], _ discriminator: Discriminator) -> [Statement] {
        let property = discriminator.propertyName
        // Tag values per branch: the explicit mapping first, then the branch's
        // own schema name for branches the mapping does not name.
        var tags: [String: [String]] = [:]
        let prefix = "#/components/schemas/"
        for (value, target) in discriminator.mapping where target.hasPrefix(prefix) {
            let component = JSONPointer.unescape(target.dropFirst(prefix.count))
            tags[component, default: []].append(value)
        }
        var switchCases: [SwitchCase] = []
        var allTags: [String] = []
        for item in cases {
            let component = item.component!
            let values = tags[component] ?? [component]
            allTags += values
            switchCases.append(SwitchCase(patterns: values.map(Expression.string), body: [
                .guardStatement([.optionalBinding("value", decode(item, errors: "errors"))], elseBody: [.returnStatement(.nil)]),
                .expression(.binary(.self, "=", .call(.member(nil, item.name), [.unlabeled(.identifier("value"))]))),
            ]))
        }
        switchCases.append(SwitchCase(patterns: nil, body: [
            .expression(.call(.member(.identifier("errors"), "add"), [
                .unlabeled(.call(.member(.identifier("path"), "appending"), [.unlabeled(.string(property))])),
                .unlabeled(.string("must be one of \(allTags.joined(separator: ", "))")),
            ])),
            .returnStatement(.nil),
        ]))
        return [
            .guardStatement([
                .optionalBinding("object", .call(.member(.identifier("json"), "objectValue"), [
                    Argument("at", .identifier("path")), Argument("errors", .inOut(.identifier("errors"))),
                ])),
                .optionalBinding("tag", .call(.member(.identifier("object"), "required"), [
                    .unlabeled(.typeReference(.named("String"))), .unlabeled(.string(property)),
                    Argument("path", .identifier("path")), Argument("errors", .inOut(.identifier("errors"))),
                ])),
            ], elseBody: [.returnStatement(.nil)]),
            .switchStatement(.identifier("tag"), switchCases),
        ]
    }

    private func encodeFunction(_ cases: [Case]) -> Declaration {
        .function(FunctionDeclaration(
            doc: "Writes the value of the branch it holds.",
            kind: .function(name: "encode"),
            parameters: [FunctionParameter(label: "to", name: "writer", type: .named("JSONWriter"), isInout: true)],
            body: [.switchStatement(.self, cases.map { item in
                SwitchCase(patterns: [.call(.member(nil, item.name), [.unlabeled(.binding("value"))])], body: [
                    .expression(.call(.member(.identifier("value"), "encode"), [Argument("to", .inOut(.identifier("writer")))])),
                ])
            })]
        ))
    }
}

