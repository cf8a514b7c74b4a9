import OpenAPIModel
import SwiftRepresentation

/// `public enum Operations`: for each operation, its typed `Input` (every
/// parameter and the body, flattened, with defaults applied) and its
/// `Output` (one case per documented status).
struct OperationTypesTranslator {
    let plans: [OperationPlan]

    func namespace() -> Declaration {
        .enumeration(EnumDeclaration(
            doc: "The operations of `paths`: each one's input and output.",
            name: "Operations",
            members: plans.map(operationNamespace)
        ))
    }

    static func summary(_ plan: OperationPlan) -> String {
        var lines = ["`\(plan.operation.method.rawValue.uppercased()) \(plan.operation.path)`" + (plan.operation.summary.map { ": \($0)" } ?? "")]
        if let description = plan.operation.description, !description.isEmpty {
            lines += ["", description.trimmingTrailingNewlines]
        }
        if plan.operation.deprecated {
            lines += ["", "- Note: Deprecated."]
        }
        return lines.joined(separator: "\n")
    }

    private func operationNamespace(_ plan: OperationPlan) -> Declaration {
        var members: [Declaration] = [
            .variable(VariableDeclaration(doc: "The operation's id in the spec.", isStatic: true, kind: .let, name: "id", value: .string(plan.operation.operationId ?? plan.methodName))),
        ]
        members += plan.nestedTypes
        members.append(input(plan))
        members += responseHeaderTypes(plan)
        members.append(output(plan))
        return .enumeration(EnumDeclaration(doc: Self.summary(plan), name: plan.typeName, members: members))
    }

    static func bodyType(_ body: OperationPlan.Body) -> TypeName {
        switch body {
        case .json(let type, _, _): return type
        case .raw: return .array(.named("UInt8"))
        }
    }

    private func input(_ plan: OperationPlan) -> Declaration {
        var members: [Declaration] = []
        var parameters: [FunctionParameter] = []
        var assignments: [Statement] = []
        for parameter in plan.parameters {
            let where_ = "`\(parameter.name)` in \(parameter.location.rawValue)"
            members.append(.variable(VariableDeclaration(
                doc: [parameter.doc, "(\(where_))"].compactMap { $0 }.joined(separator: "\n\n"),
                name: parameter.swiftName,
                type: parameter.type
            )))
            parameters.append(FunctionParameter(
                label: SwiftNames.bare(parameter.swiftName), name: SwiftNames.bare(parameter.swiftName), type: parameter.type,
                defaultValue: parameter.defaultValue ?? (parameter.type == parameter.usage.type ? nil : .nil)
            ))
            assignments.append(.expression(.binary(.member(.self, SwiftNames.bare(parameter.swiftName)), "=", .identifier(parameter.swiftName))))
        }
        if let body = plan.body {
            let type = plan.bodyRequired ? Self.bodyType(body) : Self.bodyType(body).asOptional
            members.append(.variable(VariableDeclaration(doc: "The request body.", name: "body", type: type)))
            parameters.append(FunctionParameter(label: "body", name: "body", type: type, defaultValue: type == Self.bodyType(body) ? nil : .nil))
            assignments.append(.expression(.binary(.member(.self, "body"), "=", .identifier("body"))))
        }
        members.append(.function(FunctionDeclaration(kind: .initializer(failable: false), parameters: parameters, body: assignments)))
        return .structure(StructDeclaration(doc: "What the request carries, decoded and validated.", name: "Input", conformances: ["Sendable"], members: members))
    }

    static func headersTypeName(_ response: OperationPlan.Response) -> String {
        SwiftNames.typeName(SwiftNames.bare(response.caseName)) + "Headers"
    }

    private func responseHeaderTypes(_ plan: OperationPlan) -> [Declaration] {
        plan.responses.filter { !$0.headers.isEmpty }.map { response in
            var members: [Declaration] = response.headers.map { header in
                .variable(VariableDeclaration(doc: "`\(header.name)`", name: header.swiftName, type: .optional(.named("String"))))
            }
            members.append(.function(FunctionDeclaration(
                kind: .initializer(failable: false),
                parameters: response.headers.map { FunctionParameter(label: SwiftNames.bare($0.swiftName), name: SwiftNames.bare($0.swiftName), type: .optional(.named("String")), defaultValue: .nil) },
                body: response.headers.map { .expression(.binary(.member(.self, SwiftNames.bare($0.swiftName)), "=", .identifier($0.swiftName))) }
            )))
            return .structure(StructDeclaration(doc: "The headers of the \(response.status) response.", name: Self.headersTypeName(response), conformances: ["Sendable"], members: members))
        }
    }

    private func output(_ plan: OperationPlan) -> Declaration {
        let cases: [Declaration] = plan.responses.map { response in
            var values: [EnumCaseDeclaration.AssociatedValue] = []
            if response.code == nil { values.append(.init(label: "status", type: .named("Int"))) }
            if let body = response.body {
                values.append(.init(type: Self.bodyType(body)))
                if case .raw = body { values.append(.init(label: "contentType", type: .named("String"))) }
            }
            if !response.headers.isEmpty {
                values.append(.init(label: "headers", type: .named(Self.headersTypeName(response)), defaultValue: .call(.member(nil, "init"), [])))
            }
            return .enumCase(EnumCaseDeclaration(doc: response.doc, name: response.caseName, associatedValues: values))
        }
        return .enumeration(EnumDeclaration(doc: "The documented responses, one case per status.", name: "Output", conformances: ["Sendable"], members: cases))
    }
}
