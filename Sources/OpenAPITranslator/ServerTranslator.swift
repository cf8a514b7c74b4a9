import GeneratorDiagnostics
import OpenAPIModel
import SwiftRepresentation

/// `Server.swift`: the protocol a service implements (one `async` method per
/// operation) and the routes that serve it: for each operation, security
/// first (401/403), then every parameter and the body decoded and
/// validated (400 naming each field), then the method, then the chosen
/// output case encoded with its status, headers and media type.
struct ServerTranslator {
    let models: ModelTranslator
    let plans: [OperationPlan]
    let document: OpenAPIDocument

    func declarations() -> [Declaration] {
        RuntimeStatusCheck.warnUndocumented(plans, models: models)
        var declarations: [Declaration] = [apiProtocol(), description()]
        let errorBody = ErrorBodyTranslator(models: models, document: document).conformance()
        if let errorBody { declarations.append(errorBody.declaration) }
        declarations += FailureTranslator(plans: plans, errorBodyType: errorBody?.bodyType).declarations()
        declarations.append(routesExtension())
        if let open = openRoutesExtension() { declarations.append(open) }
        declarations += plans.compactMap(operationConstants)
        return declarations
    }

    // MARK: The protocol

    private func apiProtocol() -> Declaration {
        var members: [Declaration] = [.associatedType(name: "Principal", constraint: "Sendable")]
        for plan in plans {
            members.append(.function(FunctionDeclaration(
                doc: OperationTypesTranslator.summary(plan),
                access: nil,
                kind: .function(name: plan.methodName),
                parameters: [
                    FunctionParameter(label: nil, name: "input", type: .named("Operations.\(plan.typeName).Input")),
                    FunctionParameter(label: "context", name: "context", type: .generic("OperationContext", [.named("Principal")])),
                ],
                isAsync: true,
                throwsType: "Operations.\(plan.typeName).Failure",
                returnType: .named("Operations.\(plan.typeName).Output"),
                body: nil
            )))
        }
        return .protocolBlock(ProtocolDeclaration(
            doc: "\(document.info.title)'s operations: implement each to serve the API.\n\n`Principal` is what the service's `APIAuthenticator` makes of a request's credentials. Each method returns a case of its operation's `Output` or throws its `Failure`, which has a constructor for each error status the operation documents and no other.",
            name: "APIProtocol",
            conformances: ["Sendable"],
            members: members
        ))
    }

    /// Facts of the spec the server needs at run time.
    private func description() -> Declaration {
        .enumeration(EnumDeclaration(
            doc: "The spec's facts the server needs at run time.",
            name: "APIDescription",
            members: [
                .variable(VariableDeclaration(doc: "The path of `servers[0].url`, which prefixes every route.", isStatic: true, kind: .let, name: "pathPrefix", value: .string(pathPrefix))),
                .variable(VariableDeclaration(doc: "`info.version`.", isStatic: true, kind: .let, name: "version", value: .string(document.info.version))),
            ]
        ))
    }

    /// `servers: [{url: /v1}]` → `/v1`; a full URL keeps its path; variables take their defaults.
    var pathPrefix: String {
        guard let server = document.servers.first else { return "" }
        var url = server.url
        for (name, variable) in server.variables {
            url = url.split(separator: "{\(name)}", omittingEmptySubsequences: false).joined(separator: variable.defaultValue)
        }
        let schemeParts = url.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
        if schemeParts.count == 2 {
            let afterScheme = schemeParts[1]
            url = afterScheme.firstIndex(of: "/").map { String(afterScheme[$0...]) } ?? ""
        }
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    // MARK: Routes

    private func routesExtension() -> Declaration {
        let routes = plans.map { plan in
            Expression.call(.identifier("APIRoute"), [
                Argument("method", .string(plan.operation.method.rawValue.uppercased())),
                Argument("template", .binary(.identifier("prefix"), "+", .string(plan.operation.path))),
                Argument("operationID", .member(.identifier("Operations.\(plan.typeName)"), "id")),
            ], trailingClosure: Closure(parameters: ["request"], body: [
                .expression(.tryExpression(.awaitExpression(.call(.member(.self, "handle" + plan.typeName), [
                    .unlabeled(.identifier("request")), Argument("authenticator", .identifier("authenticator")),
                ])))),
            ]))
        }
        var members: [Declaration] = [
            .function(FunctionDeclaration(
                doc: """
                Every operation's route, for `APIResponder(routes:errorBody:logger:)`.

                - Parameters:
                  - authenticator: turns credentials into the service's `Principal` for the operations' `security`.
                  - prefix: the path before every operation's path (default: the path of `servers[0].url`, `\(pathPrefix)`).
                """,
                attributes: ["@inlinable"],
                kind: .function(name: "routes"),
                genericParameters: ["Authenticator: APIAuthenticator"],
                parameters: [
                    FunctionParameter(label: "authenticator", name: "authenticator", type: .named("Authenticator")),
                    FunctionParameter(label: "prefix", name: "prefix", type: .named("String"), defaultValue: .member(.identifier("APIDescription"), "pathPrefix")),
                ],
                returnType: .array(.named("APIRoute")),
                whereClause: ["Authenticator.Principal == Principal"],
                body: [.returnStatement(.arrayLiteral(routes))]
            )),
        ]
        members += plans.map(handler)
        return .extensionBlock(ExtensionDeclaration(extendedType: "APIProtocol", members: members))
    }

    /// For a spec whose operations need no credentials: `routes(prefix:)`
    /// with `OpenAccess`, for a service whose `Principal` is `Never`.
    private func openRoutesExtension() -> Declaration? {
        guard plans.allSatisfy({ plan in plan.security.allSatisfy { $0.entries.isEmpty } }) else { return nil }
        return .extensionBlock(ExtensionDeclaration(extendedType: "APIProtocol where Principal == Never", members: [
            .function(FunctionDeclaration(
                doc: "Every operation's route: no operation of this API needs credentials (`OpenAccess`).",
                attributes: ["@inlinable"],
                kind: .function(name: "routes"),
                parameters: [
                    FunctionParameter(label: "prefix", name: "prefix", type: .named("String"), defaultValue: .member(.identifier("APIDescription"), "pathPrefix")),
                ],
                returnType: .array(.named("APIRoute")),
                body: [.returnStatement(.call(.identifier("routes"), [
                    Argument("authenticator", .call(.identifier("OpenAccess"), [])), Argument("prefix", .identifier("prefix")),
                ]))]
            )),
        ]))
    }

    private func handler(_ plan: OperationPlan) -> Declaration {
        let constants = "Operations.\(plan.typeName)"
        var body: [Statement] = [
            .binding(.let, "principal", nil, .tryExpression(.awaitExpression(.call(.member(.identifier("authenticator"), "authorize"), [
                .unlabeled(.member(.identifier(constants), "security")), Argument("request", .identifier("request")),
            ])))),
            .binding(.var, "errors", nil, .call(.identifier("ValidationErrors"), [])),
        ]
        var pathIndex = 0
        let pathNames = PathTemplate.names(plan.operation.path)
        var conditions: [Condition] = [.boolean(.member(.identifier("errors"), "isEmpty"))]
        var inputArguments: [Argument] = []
        for parameter in plan.parameters {
            let local = SwiftNames.bare(parameter.swiftName) + "Value"
            let raw: Expression
            switch parameter.location {
            case .path:
                let index = pathNames.firstIndex(of: parameter.name) ?? pathIndex
                pathIndex += 1
                raw = .call(.member(.identifier("request"), "pathParameter"), [.unlabeled(.int(index))])
            case .query:
                // An array's items: split on literal commas before percent-decoding when not exploded.
                raw = parameter.kind == .array
                    ? .call(.member(.member(.identifier("request"), "query"), "items"), [
                        .unlabeled(.string(parameter.name)), Argument("explode", .bool(parameter.explode)),
                    ])
                    : .call(.member(.member(.identifier("request"), "query"), "first"), [.unlabeled(.string(parameter.name))])
            case .header:
                raw = .call(.member(.identifier("request"), "header"), [.unlabeled(.string(parameter.name))])
            case .cookie:
                raw = .call(.member(.identifier("request"), "cookie"), [.unlabeled(.string(parameter.name))])
            }
            let errorsArgument = Argument("errors", .inOut(.identifier("errors")))
            let decode: Expression
            switch parameter.kind {
            case .scalar:
                decode = .call(.member(.identifier("ParameterDecoding"), "scalar"), [
                    .unlabeled(.typeReference(parameter.usage.type)), .unlabeled(raw),
                    Argument("name", .string(parameter.name)), Argument("required", .bool(parameter.isRequired)), errorsArgument,
                ])
            case .array:
                guard case .array(let element) = parameter.usage.type else { continue }
                // Query items come split; headers, cookies and path segments carry one comma-separated value.
                decode = .call(.member(.identifier("ParameterDecoding"), "array"), [
                    .unlabeled(.typeReference(element)), Argument(parameter.location == .query ? "items" : "commaSeparated", raw),
                    Argument("name", .string(parameter.name)), Argument("required", .bool(parameter.isRequired)), errorsArgument,
                ])
            case .deepObject:
                decode = .call(.member(.identifier("ParameterDecoding"), "deepObject"), [
                    .unlabeled(.call(.member(.identifier("request"), "deepObject"), [.unlabeled(.string(parameter.name))])),
                    Argument("name", .string(parameter.name)), Argument("required", .bool(parameter.isRequired)), errorsArgument,
                ])
            }
            body.append(.binding(.let, local, nil, decode))
            body += parameterChecks(parameter, local: local, constants: constants)
            if parameter.isRequired {
                conditions.append(.optionalBinding(local, .binary(.identifier(local), "??", .nil)))
            } else {
                conditions.append(.optionalBinding(local, nil))
            }
            let value: Expression = parameter.defaultValue.map { .binary(.identifier(local), "??", $0) } ?? .identifier(local)
            inputArguments.append(Argument(SwiftNames.bare(parameter.swiftName), value))
        }
        if let requestBody = plan.body {
            let read: Expression
            switch requestBody {
            case .json(let type, _, _):
                // A nullable body decodes as its type; absent or null is nil.
                read = .tryExpression(.awaitExpression(.call(.member(.identifier("request"), "jsonBody"), [
                    .unlabeled(.typeReference(type.nonOptional)), Argument("required", .bool(plan.bodyRequired)), Argument("errors", .inOut(.identifier("errors"))),
                ])))
            case .raw:
                read = .tryExpression(.awaitExpression(.call(.member(.identifier("request"), "rawBody"), [
                    Argument("required", .bool(plan.bodyRequired)), Argument("errors", .inOut(.identifier("errors"))),
                ])))
            }
            body.append(.binding(.let, "bodyValue", nil, read))
            if case .json(_, let rules?, _) = requestBody {
                body.append(.ifStatement([.optionalBinding("value", .binary(.identifier("bodyValue"), "??", .nil))], body: [
                    .expression(.call(.member(rules, "check"), [.unlabeled(.identifier("value")), Argument("at", .member(.identifier("FieldPath"), "root")), Argument("errors", .inOut(.identifier("errors")))])),
                ], elseBody: nil))
            }
            conditions.append(plan.bodyRequired ? .optionalBinding("bodyValue", .binary(.identifier("bodyValue"), "??", .nil)) : .optionalBinding("bodyValue", nil))
            inputArguments.append(Argument("body", .identifier("bodyValue")))
        }
        if plan.parameters.isEmpty && plan.body == nil {
            // Nothing to decode: no error list to keep.
            body.removeLast()
        } else {
            body.append(.guardStatement(conditions, elseBody: [.throwStatement(.call(.member(.identifier("APIError"), "validation"), [.unlabeled(.identifier("errors"))]))]))
        }
        // The service throws only the operation's `Failure`: a documented
        // status or a fault, which the responder answers.
        body.append(.binding(.let, "output", .named("\(constants).Output"), nil))
        body.append(.doCatch(body: [
            .expression(.binary(.identifier("output"), "=", .tryExpression(.awaitExpression(.call(.identifier(plan.methodName), [
                .unlabeled(.call(.identifier("\(constants).Input"), inputArguments)),
                Argument("context", .call(.member(.identifier("request"), "operationContext"), [.unlabeled(.identifier("principal"))])),
            ]))))),
        ], handler: [.throwStatement(.member(.identifier("error"), "answer"))]))
        body.append(.switchStatement(.identifier("output"), plan.responses.map(responseCase)))
        return .function(FunctionDeclaration(
            doc: "Serves \(OperationTypesTranslator.summary(plan).split(separator: "\n").first ?? "").",
            access: nil,
            // Inlinable (with `routes`), so the module that implements the
            // protocol specializes each handler for its own service and
            // authenticator types instead of calling them generically.
            attributes: ["@inlinable"],
            kind: .function(name: "handle\(plan.typeName)"),
            genericParameters: ["Authenticator: APIAuthenticator"],
            parameters: [
                FunctionParameter(label: nil, name: "request", type: .named("APIRequest")),
                FunctionParameter(label: "authenticator", name: "authenticator", type: .named("Authenticator")),
            ],
            isAsync: true,
            throwsType: "",
            returnType: .named("Response"),
            whereClause: ["Authenticator.Principal == Principal"],
            body: body
        ))
    }

    /// Checks of a parameter's own constraints (bounds, lengths, patterns).
    private func parameterChecks(_ parameter: OperationPlan.Parameter, local: String, constants: String) -> [Statement] {
        var inner: [Statement] = []
        let path = Expression.call(.identifier("FieldPath"), [.unlabeled(.string(parameter.name))])
        if parameter.usage.rules != nil {
            inner.append(.expression(.call(.member(.member(.identifier(constants), Self.rulesName(parameter)), "check"), [
                .unlabeled(.identifier("value")), Argument("at", path), Argument("errors", .inOut(.identifier("errors"))),
            ])))
        }
        if parameter.usage.itemRules != nil {
            inner.append(.forIn(pattern: "(index, item)", sequence: .call(.member(.identifier("value"), "enumerated"), []), body: [
                .expression(.call(.member(.member(.identifier(constants), Self.itemRulesName(parameter)), "check"), [
                    .unlabeled(.identifier("item")), Argument("at", .call(.member(path, "appending"), [Argument("index", .identifier("index"))])),
                    Argument("errors", .inOut(.identifier("errors"))),
                ])),
            ]))
        }
        guard !inner.isEmpty else { return [] }
        return [.ifStatement([.optionalBinding("value", .binary(.identifier(local), "??", .nil))], body: inner, elseBody: nil)]
    }

    static func rulesName(_ parameter: OperationPlan.Parameter) -> String { SwiftNames.bare(parameter.swiftName) + "Rules" }
    static func itemRulesName(_ parameter: OperationPlan.Parameter) -> String { SwiftNames.bare(parameter.swiftName) + "ItemRules" }

    private func responseCase(_ response: OperationPlan.Response) -> SwitchCase {
        var bindings: [Argument] = []
        if response.code == nil { bindings.append(Argument("status", .binding("status"))) }
        let status: Expression = response.code.map(Expression.int) ?? .identifier("status")
        var headers: Expression = .arrayLiteral([])
        if !response.headers.isEmpty {
            headers = .arrayLiteral(response.headers.map { header in
                .tuple([.string(header.name), .member(.identifier("headers"), SwiftNames.bare(header.swiftName))])
            })
        }
        var result: Expression
        switch response.body {
        case .json(_, _, let contentTypes)?:
            bindings.append(.unlabeled(.binding("body")))
            result = .call(.member(.identifier("request"), "json"), [
                Argument("status", status), .unlabeled(.identifier("body")), Argument("contentType", .string(contentTypes.first ?? "application/json")), Argument("headers", headers),
            ])
        case .raw?:
            bindings.append(.unlabeled(.binding("body")))
            bindings.append(Argument("contentType", .binding("contentType")))
            result = .call(.member(.identifier("request"), "raw"), [
                Argument("status", status), .unlabeled(.identifier("body")), Argument("contentType", .identifier("contentType")), Argument("headers", headers),
            ])
        case nil:
            result = .call(.member(.identifier("request"), "empty"), [Argument("status", status), Argument("headers", headers)])
        }
        if !response.headers.isEmpty { bindings.append(Argument("headers", .binding("headers"))) }
        let pattern: Expression = bindings.isEmpty ? .member(nil, response.caseName) : .call(.member(nil, response.caseName), bindings)
        return SwitchCase(patterns: [pattern], body: [.returnStatement(result)])
    }

    // MARK: Per-operation constants

    /// `extension Operations.GetTokens { static let security …; static let pageSizeRules … }`
    private func operationConstants(_ plan: OperationPlan) -> Declaration? {
        var members: [Declaration] = []
        let alternatives: [Expression] = plan.security.map { requirement in
            .arrayLiteral(requirement.entries.map { entry in
                .call(.identifier("SecurityScope"), [.unlabeled(.string(entry.scheme)), Argument("scopes", .arrayLiteral(entry.scopes.map(Expression.string)))])
            })
        }
        members.append(.variable(VariableDeclaration(
            doc: "The operation's `security`: any one alternative admits a request.",
            access: nil, attributes: ["@usableFromInline"], isStatic: true, kind: .let, name: "security", type: .array(.array(.named("SecurityScope"))), value: .arrayLiteral(alternatives)
        )))
        for parameter in plan.parameters {
            if let rules = parameter.usage.rules {
                members.append(.variable(VariableDeclaration(access: nil, attributes: ["@usableFromInline"], isStatic: true, kind: .let, name: Self.rulesName(parameter), value: rules)))
            }
            if let rules = parameter.usage.itemRules {
                members.append(.variable(VariableDeclaration(access: nil, attributes: ["@usableFromInline"], isStatic: true, kind: .let, name: Self.itemRulesName(parameter), value: rules)))
            }
        }
        return .extensionBlock(ExtensionDeclaration(extendedType: "Operations.\(plan.typeName)", members: members))
    }
}
