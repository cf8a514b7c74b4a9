import OpenAPIModel
import SwiftRepresentation

/// `Client.swift`: the mirror image of `Server.swift`. A `Client` struct
/// with one `async` method per operation that takes the operation's
/// `Input` (what the server's handler receives), writes it as the route
/// reads it (path segments, query, headers, cookies, body), presents the
/// credentials its `security` asks for, and turns the answer back into the
/// operation's `Output`: every documented status, its body decoded and
/// validated by the same APIRuntime rules the server applies to requests.
/// An undocumented status or an invalid body throws `APIClientError`.
struct ClientTranslator {
    let plans: [OperationPlan]
    let document: OpenAPIDocument
    /// `servers[0].url`'s path, the default prefix of every request.
    let pathPrefix: String

    func declarations() -> [Declaration] {
        var members: [Declaration] = [
            .variable(VariableDeclaration(doc: "What requests travel through (`URLSessionTransport`, or your own).", kind: .var, name: "transport", type: .named("any APIClientTransport"))),
            .variable(VariableDeclaration(doc: "The credentials presented, by security scheme name; never logged.", kind: .var, name: "credentials", type: .named("ClientCredentials"))),
            .variable(VariableDeclaration(doc: "Prefixes every path; `servers[0].url`'s path by default.", kind: .var, name: "pathPrefix", type: .named("String"))),
            .function(FunctionDeclaration(
                doc: "A client sending through `transport`, presenting `credentials`.",
                kind: .initializer(failable: false),
                parameters: [
                    FunctionParameter(label: "transport", name: "transport", type: .named("any APIClientTransport")),
                    FunctionParameter(label: "credentials", name: "credentials", type: .named("ClientCredentials"), defaultValue: .call(.identifier("ClientCredentials"), [])),
                    FunctionParameter(label: "pathPrefix", name: "pathPrefix", type: .named("String"), defaultValue: .string(pathPrefix)),
                ],
                body: ["transport", "credentials", "pathPrefix"].map { .expression(.binary(.member(.self, $0), "=", .identifier($0))) }
            )),
        ]
        members += plans.map(method)
        return [.structure(StructDeclaration(
            doc: "A client for \(document.info.title)'s operations: one method per operation, taking its `Input` and returning its `Output`.\n\nA documented status, success or error, is a case of the output; an undocumented status or a body that breaks the schema throws `APIClientError`, naming the operation, the status and each invalid field.",
            name: "Client",
            conformances: ["Sendable"],
            members: members
        ))]
    }

    private func method(_ plan: OperationPlan) -> Declaration {
        let operationID = Expression.string(plan.operation.operationId ?? plan.methodName)
        var body: [Statement] = [
            .binding(.var, "request", nil, .call(.identifier("ClientRequest"), [
                Argument("method", .string(plan.operation.method.rawValue.uppercased())), Argument("path", .identifier("pathPrefix")),
            ])),
        ]
        body += pathStatements(plan)
        for parameter in plan.parameters where parameter.location != .path {
            let value = Expression.member(.identifier("input"), SwiftNames.bare(parameter.swiftName))
            let name = Expression.string(parameter.name)
            let call: Expression
            switch (parameter.location, parameter.kind) {
            case (.query, .scalar):
                call = .call(.member(.identifier("request"), "appendQuery"), [.unlabeled(name), .unlabeled(value)])
            case (.query, .array):
                call = .call(.member(.identifier("request"), "appendQuery"), [.unlabeled(name), .unlabeled(value), Argument("explode", .bool(parameter.explode))])
            case (.query, .deepObject):
                call = .call(.member(.identifier("request"), "appendQuery"), [Argument("deepObject", name), .unlabeled(value)])
            case (.header, .scalar), (.header, .array):
                call = .call(.member(.identifier("request"), "appendHeader"), [.unlabeled(name), .unlabeled(value)])
            case (.cookie, .scalar):
                call = .call(.member(.identifier("request"), "appendCookie"), [.unlabeled(name), .unlabeled(value)])
            default:
                // Shapes the server side does not read either (a deepObject header…).
                continue
            }
            body.append(.expression(call))
        }
        switch plan.body {
        case .json(_, _, let contentTypes)?:
            body.append(.expression(.call(.member(.identifier("request"), "setJSONBody"), [
                .unlabeled(.member(.identifier("input"), "body")), Argument("contentType", .string(contentTypes.first ?? "application/json")),
            ])))
        case .raw(let contentTypes)?:
            body.append(.expression(.call(.member(.identifier("request"), "setRawBody"), [
                .unlabeled(.member(.identifier("input"), "body")), Argument("contentType", .string(contentTypes.first ?? "application/octet-stream")),
            ])))
        case nil:
            break
        }
        let alternatives = plan.security.map { requirement in
            Expression.arrayLiteral(requirement.entries.compactMap { securityScheme($0.scheme) })
        }
        if !alternatives.isEmpty {
            body.append(.expression(.call(.member(.identifier("credentials"), "authorize"), [
                .unlabeled(.inOut(.identifier("request"))), Argument("alternatives", .arrayLiteral(alternatives)),
            ])))
        }
        body.append(.binding(.let, "response", nil, .tryExpression(.awaitExpression(.call(.member(.identifier("transport"), "send"), [.unlabeled(.identifier("request"))])))))
        body.append(.switchStatement(.member(.identifier("response"), "status"), responseCases(plan, operationID: operationID)))

        // No argument needed when every input has a default.
        let everyInputOptional = plan.parameters.allSatisfy { !$0.isRequired || $0.defaultValue != nil } && (plan.body == nil || !plan.bodyRequired)
        let inputType = "Operations.\(plan.typeName).Input"
        return .function(FunctionDeclaration(
            doc: OperationTypesTranslator.summary(plan),
            kind: .function(name: plan.methodName),
            parameters: [FunctionParameter(label: nil, name: "input", type: .named(inputType), defaultValue: everyInputOptional ? .call(.identifier(inputType), []) : nil)],
            isAsync: true,
            throwsType: "",
            returnType: .named("Operations.\(plan.typeName).Output"),
            body: body
        ))
    }

    /// `request.appendPath(literal: "/tokens/")`, `request.appendPath(input.tokenID)`…
    /// A `{name}` no path parameter declares stays in the path as written.
    private func pathStatements(_ plan: OperationPlan) -> [Statement] {
        var statements: [Statement] = []
        var literal = ""
        func flushLiteral() {
            if !literal.isEmpty {
                statements.append(.expression(.call(.member(.identifier("request"), "appendPath"), [Argument("literal", .string(literal))])))
                literal = ""
            }
        }
        for piece in PathTemplate.pieces(plan.operation.path) {
            switch piece {
            case .literal(let text):
                literal += text
            case .parameter(let name):
                guard let parameter = plan.parameters.first(where: { $0.location == .path && $0.name == name }) else {
                    literal += "{\(name)}"
                    continue
                }
                flushLiteral()
                statements.append(.expression(.call(.member(.identifier("request"), "appendPath"), [
                    .unlabeled(.member(.identifier("input"), SwiftNames.bare(parameter.swiftName))),
                ])))
            }
        }
        flushLiteral()
        return statements
    }

    /// How the scheme named `name` carries its credential; nil for schemes
    /// a client cannot fill from a string (mutual TLS).
    private func securityScheme(_ name: String) -> Expression? {
        guard case .value(let scheme)? = document.components.securitySchemes[name] else {
            return .call(.member(nil, "bearer"), [Argument("scheme", .string(name))])
        }
        switch scheme.kind {
        case .http where scheme.scheme?.lowercased() == "basic":
            return .call(.member(nil, "basic"), [Argument("scheme", .string(name))])
        case .apiKey:
            let parameter = Argument("name", .string(scheme.name ?? name))
            switch scheme.location {
            case .query?: return .call(.member(nil, "apiKeyQuery"), [Argument("scheme", .string(name)), parameter])
            case .cookie?: return .call(.member(nil, "apiKeyCookie"), [Argument("scheme", .string(name)), parameter])
            default: return .call(.member(nil, "apiKeyHeader"), [Argument("scheme", .string(name)), parameter])
            }
        case .mutualTLS:
            return nil
        default:
            // http bearer, and OAuth 2 / OpenID Connect access tokens.
            return .call(.member(nil, "bearer"), [Argument("scheme", .string(name))])
        }
    }

    /// One case per documented status: fixed codes first, then ranges
    /// (`4XX`), then `default`, else the undocumented-status error.
    private func responseCases(_ plan: OperationPlan, operationID: Expression) -> [SwitchCase] {
        let fixed = plan.responses.filter { $0.code != nil }
        let ranges = plan.responses.filter { $0.code == nil && $0.status.lowercased() != "default" }
        let fallback = plan.responses.first { $0.status.lowercased() == "default" }
        var cases: [SwitchCase] = fixed.map { response in
            SwitchCase(patterns: [.int(response.code ?? 0)], body: [.returnStatement(output(response, plan: plan, operationID: operationID))])
        }
        for response in ranges {
            guard let first = response.status.first, let digit = Int(String(first)) else { continue }
            cases.append(SwitchCase(patterns: [.literal(.number("\(digit)00...\(digit)99"))], body: [.returnStatement(output(response, plan: plan, operationID: operationID))]))
        }
        if let fallback {
            cases.append(SwitchCase(patterns: nil, body: [.returnStatement(output(fallback, plan: plan, operationID: operationID))]))
        } else {
            cases.append(SwitchCase(patterns: nil, body: [.throwStatement(.call(.member(.identifier("response"), "undocumented"), [Argument("operation", operationID)]))]))
        }
        return cases
    }

    /// `.ok(try response.json(Schemas.Token.self, operation: "getToken"))`…
    private func output(_ response: OperationPlan.Response, plan: OperationPlan, operationID: Expression) -> Expression {
        var arguments: [Argument] = []
        if response.code == nil { arguments.append(Argument("status", .member(.identifier("response"), "status"))) }
        switch response.body {
        case .json(let type, let rules, _)?:
            var value: Expression = .tryExpression(.call(.member(.identifier("response"), "json"), [.unlabeled(.typeReference(type)), Argument("operation", operationID)]))
            if let rules {
                var check: Statement = .expression(.call(.member(rules, "check"), [
                    .unlabeled(.identifier("value")), Argument("at", .member(.identifier("FieldPath"), "root")), Argument("errors", .inOut(.identifier("errors"))),
                ]))
                if case .optional = type {
                    // A nullable body's rules apply to its value when present.
                    check = .ifStatement([.optionalBinding("value", nil)], body: [check], elseBody: nil)
                }
                value = .tryExpression(.call(.member(.identifier("response"), "checked"), [.unlabeled(value), Argument("operation", operationID)],
                                             trailingClosure: Closure(parameters: ["value", "errors"], body: [check])))
            }
            arguments.append(.unlabeled(value))
        case .raw?:
            arguments.append(.unlabeled(.member(.identifier("response"), "body")))
            arguments.append(Argument("contentType", .member(.identifier("response"), "contentType")))
        case nil:
            break
        }
        if !response.headers.isEmpty {
            let headersType = "Operations.\(plan.typeName).\(OperationTypesTranslator.headersTypeName(response))"
            arguments.append(Argument("headers", .call(.identifier(headersType), response.headers.map { header in
                Argument(SwiftNames.bare(header.swiftName), .call(.member(.identifier("response"), "header"), [.unlabeled(.string(header.name))]))
            })))
        }
        return arguments.isEmpty ? .member(nil, response.caseName) : .call(.member(nil, response.caseName), arguments)
    }
}
