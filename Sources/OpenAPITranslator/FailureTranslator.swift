import OpenAPIModel
import SwiftRepresentation

/// Each operation's typed errors, for `Server.swift`: `Operations.X.Failure`,
/// what the operation's service method may throw (`async
/// throws(Operations.X.Failure)`), with one static constructor per error
/// status the operation documents with the spec's error body, and
/// `unexpected(_:)` for a fault (500, or 503). A status the operation does
/// not document has no constructor, so throwing it does not compile.
///
///     extension Operations.GetToken {
///         public struct Failure: OperationFailure, Failures.NotFound {
///             /// 404: `not_found`: …
///             public static func notFound(_ message: String, fieldErrors: [FieldError] = []) -> Self { … }
///         }
///     }
///
/// `Failures.NotFound` (one protocol per status some operation documents)
/// lets one helper serve every operation that can answer that status:
/// `func visible<F: Failures.NotFound>(_ id: UUID, failing: F.Type) throws(F)`.
///
/// A `4XX`, `5XX` or `default` response with the error body documents the
/// statuses it covers: the operation gets a constructor taking the status
/// (`clientError(_:_:)`, `serverError(_:_:)`, `status(_:_:)`) and the named
/// constructors of every status other operations document that it covers.
/// The error body is the schema marked `x-tessera-error` or, when the spec
/// marks none, the runtime's RFC 9457 problem details (documented as
/// `application/problem+json`). Error responses with another body (or
/// none) are not failures: the service returns them as cases of `Output`.
/// An operation with no failure of its own names the runtime's shared
/// `OperationFault` (`typealias Failure = OperationFault`), which has only
/// `unexpected`: most of a large spec like Stripe's, whose errors are its
/// own JSON, so its output does not carry hundreds of empty types.
struct FailureTranslator {
    let plans: [OperationPlan]
    /// The marked error schema's Swift type (`Schemas.Error`); nil when the
    /// spec marks none (then the runtime writes problem details).
    let errorBodyType: String?

    /// A status answered with the error body, as a constructor.
    struct Status: Hashable {
        var code: Int
        var name: String
    }

    func declarations() -> [Declaration] {
        let capabilities = self.capabilities()
        var declarations: [Declaration] = []
        if !capabilities.isEmpty {
            declarations.append(.enumeration(EnumDeclaration(
                doc: "One protocol per error status some operation documents, adopted by the `Failure` of each operation that documents it: a helper shared by several operations throws `F` for any `F: Failures.NotFound`.",
                name: "Failures",
                members: capabilities.map(capability)
            )))
            // Protocol requirements take no default arguments: the short form.
            declarations += capabilities.map { status in
                .extensionBlock(ExtensionDeclaration(extendedType: "Failures." + Self.protocolName(status), members: [
                    .function(FunctionDeclaration(
                        doc: "A \(status.code) answer without field errors.",
                        isStatic: true,
                        kind: .function(name: status.name),
                        parameters: [FunctionParameter(label: nil, name: "message", type: .named("String"))],
                        returnType: .named("Self"),
                        body: [.returnStatement(.call(.identifier(status.name), [.unlabeled(.identifier("message")), Argument("fieldErrors", .arrayLiteral([]))]))]
                    )),
                ]))
            }
        }
        declarations += plans.flatMap { failure($0, capabilities: capabilities) }
        return declarations
    }

    /// Every status some operation documents with the error body, by code.
    private func capabilities() -> [Status] {
        var seen: Set<Int> = []
        var statuses: [Status] = []
        for plan in plans {
            for response in plan.responses where carriesErrorBody(response) {
                guard let code = response.code, (400...599).contains(code), seen.insert(code).inserted else { continue }
                statuses.append(Status(code: code, name: OperationTranslator.caseName(forStatus: response.status)))
            }
        }
        return statuses.sorted { $0.code < $1.code }
    }

    /// Whether the runtime writes this response's body: the marked error
    /// schema or, when the spec marks none, the runtime's own RFC 9457
    /// problem details (`application/problem+json`).
    private func carriesErrorBody(_ response: OperationPlan.Response) -> Bool {
        guard case .json(let type, _, let contentTypes)? = response.body else { return false }
        guard let errorBodyType else { return contentTypes.contains("application/problem+json") }
        return type.nonOptional == .named(errorBodyType)
    }

    private static func protocolName(_ status: Status) -> String {
        SwiftNames.typeName(SwiftNames.bare(status.name))
    }

    private func capability(_ status: Status) -> Declaration {
        .protocolBlock(ProtocolDeclaration(
            doc: "A failure that can answer \(status.code) (`\(status.name)`).",
            name: Self.protocolName(status),
            conformances: ["OperationFailure"],
            members: [.function(FunctionDeclaration(
                doc: "A \(status.code) answer, in the spec's error body.",
                access: nil,
                isStatic: true,
                kind: .function(name: status.name),
                parameters: messageParameters(defaults: false),
                returnType: .named("Self"),
                body: nil
            ))]
        ))
    }

    private func messageParameters(defaults: Bool) -> [FunctionParameter] {
        [
            FunctionParameter(label: nil, name: "message", type: .named("String")),
            FunctionParameter(label: "fieldErrors", name: "fieldErrors", type: .array(.named("FieldError")), defaultValue: defaults ? .arrayLiteral([]) : nil),
        ]
    }

    /// `Operations.X.Failure`, and `Operations.X.Input`'s conformance to `OperationInput`.
    private func failure(_ plan: OperationPlan, capabilities: [Status]) -> [Declaration] {
        let errors = plan.responses.filter(carriesErrorBody)
        var members: [Declaration] = [
            .variable(VariableDeclaration(doc: "What the route answers: an `APIError` with a documented status, or an `UnexpectedFailure`.", kind: .let, name: "answer", type: .named("any Error"))),
            .function(FunctionDeclaration(
                access: .private,
                kind: .initializer(failable: false),
                parameters: [FunctionParameter(label: nil, name: "answer", type: .named("any Error"))],
                body: [.expression(.binary(.member(.self, "answer"), "=", .identifier("answer")))]
            )),
        ]
        var named: [Status] = []
        for response in errors {
            guard let code = response.code, (400...599).contains(code) else { continue }
            let status = Status(code: code, name: response.caseName)
            named.append(status)
            members.append(constructor(status, doc: response.doc))
            if !response.headers.isEmpty {
                let headersType = "\(SwiftNames.typeName(SwiftNames.bare(response.caseName)))Headers"
                let values: [Expression] = response.headers.map { header in
                    .tuple([.string(header.name), .member(.identifier("headers"), SwiftNames.bare(header.swiftName))])
                }
                members.append(.function(FunctionDeclaration(
                    doc: "\(code), with its documented headers (nil ones are not sent).",
                    isStatic: true,
                    kind: .function(name: response.caseName),
                    parameters: messageParameters(defaults: true) + [FunctionParameter(label: "headers", name: "headers", type: .named(headersType))],
                    returnType: .named("Self"),
                    body: [.returnStatement(.call(.identifier("Self"), [.unlabeled(apiError(.int(code), extra: [Argument("documentedHeaders", .arrayLiteral(values))]))]))]
                )))
            }
        }
        // Ranges and `default`: a constructor taking the status, and the
        // named ones other operations have, for the shared helpers.
        for response in errors where response.code == nil {
            let range: ClosedRange<Int>
            let name: String
            switch response.status.uppercased() {
            case "4XX": (range, name) = (400...499, "clientError")
            case "5XX": (range, name) = (500...599, "serverError")
            case "DEFAULT": (range, name) = (400...599, "status")
            default: continue
            }
            members.append(.function(FunctionDeclaration(
                doc: (response.doc ?? "") + "\n\nAny status from \(range.lowerBound) to \(range.upperBound) this covers.",
                isStatic: true,
                kind: .function(name: name),
                parameters: [FunctionParameter(label: nil, name: "status", type: .named("APIError.Status"))] + messageParameters(defaults: true),
                returnType: .named("Self"),
                body: [
                    .expression(.call(.identifier("precondition"), [
                        .unlabeled(.call(.member(.parenthesized(.binary(.int(range.lowerBound), "...", .int(range.upperBound))), "contains"), [.unlabeled(.member(.identifier("status"), "code"))])),
                        .unlabeled(.string("\(response.status) covers statuses \(range.lowerBound) to \(range.upperBound)")),
                    ])),
                    .returnStatement(.call(.identifier("Self"), [.unlabeled(apiError(.identifier("status"), extra: []))])),
                ]
            )))
            for status in capabilities where range.contains(status.code) && !named.contains(where: { $0.code == status.code }) {
                named.append(status)
                members.append(constructor(status, doc: "\(status.code), documented by this operation's `\(response.status)` response."))
            }
        }
        members.append(.function(FunctionDeclaration(
            doc: "A fault this operation does not document as an answer of its own: answered 500 (503 when the database cannot be reached) and logged, never shown.",
            isStatic: true,
            kind: .function(name: "unexpected"),
            parameters: [FunctionParameter(label: nil, name: "error", type: .named("any Error"))],
            returnType: .named("Self"),
            body: [.returnStatement(.call(.identifier("Self"), [.unlabeled(.call(.identifier("UnexpectedFailure"), [.unlabeled(.identifier("error"))]))]))]
        )))
        let codes = named.map { String($0.code) } + errors.filter { $0.code == nil }.map(\.status)
        let input = Declaration.extensionBlock(ExtensionDeclaration(
            doc: "Names the operation's `Failure`, for helpers several operations share.",
            extendedType: "Operations.\(plan.typeName).Input",
            conformances: ["OperationInput"],
            members: [.typeAlias(TypeAliasDeclaration(name: "Failure", type: .named("Operations.\(plan.typeName).Failure")))]
        ))
        guard !codes.isEmpty else {
            // Nothing of its own to throw: the runtime's shared fault-only type.
            return [
                .extensionBlock(ExtensionDeclaration(extendedType: "Operations.\(plan.typeName)", members: [
                    .typeAlias(TypeAliasDeclaration(
                        doc: "What `\(plan.methodName)` may throw: it documents no error status with the spec's error body, so only a fault (`unexpected`); its documented errors are `Output` cases.",
                        name: "Failure",
                        type: .named("OperationFault")
                    )),
                ])),
                input,
            ]
        }
        let summary = "One constructor per error status it documents (\(codes.joined(separator: ", "))), each answered in the spec's error body, and `unexpected` for a fault."
        let conformances = ["OperationFailure"] + capabilities.filter { status in named.contains { $0.code == status.code && $0.name == status.name } }.map { "Failures." + Self.protocolName($0) }
        return [
            .extensionBlock(ExtensionDeclaration(extendedType: "Operations.\(plan.typeName)", members: [
                .structure(StructDeclaration(
                    doc: "What `\(plan.methodName)` may throw. \(summary)",
                    name: "Failure",
                    conformances: conformances,
                    members: members
                )),
            ])),
            input,
        ]
    }

    private func constructor(_ status: Status, doc: String?) -> Declaration {
        .function(FunctionDeclaration(
            doc: doc,
            isStatic: true,
            kind: .function(name: status.name),
            parameters: messageParameters(defaults: true),
            returnType: .named("Self"),
            body: [.returnStatement(.call(.identifier("Self"), [.unlabeled(apiError(.int(status.code), extra: []))]))]
        ))
    }

    /// `APIError(APIError.Status(404), message, fieldErrors: fieldErrors)`
    private func apiError(_ status: Expression, extra: [Argument]) -> Expression {
        let statusValue: Expression
        if case .literal(.int) = status {
            statusValue = .call(.member(.identifier("APIError"), "Status"), [.unlabeled(status)])
        } else {
            statusValue = status
        }
        return .call(.identifier("APIError"), [
            .unlabeled(statusValue), .unlabeled(.identifier("message")), Argument("fieldErrors", .identifier("fieldErrors")),
        ] + extra)
    }
}
