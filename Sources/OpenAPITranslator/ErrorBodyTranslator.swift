import GeneratorDiagnostics
import OpenAPIModel
import SwiftRepresentation

/// The error body: `extension Schemas.Error: APIErrorBody` for the component
/// schema marked `x-tessera-error`, so the runtime writes every error (its
/// own 400/401/404… and the service's) in the spec's shape.
///
/// The marker names the roles of the schema's properties:
///
///     x-tessera-error:
///       code: error                 # the machine code: a string, or an integer (the HTTP status)
///       message: message            # the human-readable message
///       correlation-id: correlationId   # optional: the response's X-Correlation-ID
///       field-errors: errors        # optional: a list of {field, message}
///       codes:                      # optional, for a string code: the code of each status
///         "400": validation_error
///         default: server_error     # any status not listed
///
/// `x-tessera-error: true` means `code: code`, `message: message`, and
/// `correlation-id: correlationId` / `field-errors: errors` when the schema
/// has them. A string code without `codes` is the status's reason phrase
/// in snake case (`not_found`). Without a marked schema, the server writes
/// the runtime's own format (RFC 9457 problem details).
struct ErrorBodyTranslator {
    let models: ModelTranslator
    let document: OpenAPIDocument

    /// The roles the marker gives the error schema's properties.
    struct Roles {
        var code = "code"
        var message = "message"
        var correlationID: String?
        var fieldErrors: String?
        /// Status (`"404"` or `default`) → code.
        var codes: [(status: String, code: String)] = []
    }

    /// The conformance, and the marked schema's Swift type (`Schemas.Error`);
    /// nil (with a warning) when no schema is marked or its marker is unusable.
    func conformance() -> (declaration: Declaration, bodyType: String)? {
        let marked = document.components.schemas.filter { entry in
            if case .value(let schema) = entry.value, schema.extensions["x-tessera-error"] != nil { return true }
            return false
        }
        guard let (name, schemaOrRef) = marked.first, case .value(let schema) = schemaOrRef else { return nil }
        let fallback = "; errors use the runtime's own format (RFC 9457 problem details)"
        guard case .object(let shape) = SchemaShape.of(schema, resolve: models.resolve) else {
            models.diagnostics.warning("the error schema '\(name)' is not an object" + fallback, at: schema.source)
            return nil
        }
        guard let roles = roles(schema.extensions["x-tessera-error"]!, shape: shape, schema: schema) else { return nil }
        var statements: [Statement] = []
        var arguments: [Argument] = []
        for item in shape.properties {
            let label = SwiftNames.bare(SwiftNames.memberName(item.name))
            let value: Expression
            if item.name == roles.code {
                switch models.resolve(item.schema).map({ SchemaShape.of($0, resolve: models.resolve) }) {
                case .integer?:
                    // An integer code is the HTTP status itself.
                    value = .call(.identifier("numericCast"), [.unlabeled(.identifier("status"))])
                case .stringEnum(let values)?:
                    statements += codeStatements(roles)
                    let typeName = SwiftNames.typeName(item.schema.reference?.name ?? SwiftNames.typeName(item.name) == SwiftNames.bare(models.typeNames[name] ?? "") ? item.name + "Value" : item.name)
                    let qualified = item.schema.reference.map { models.qualifiedName(of: $0.name) } ?? "\(models.qualifiedName(of: name)).\(typeName)"
                    for (status, code) in roles.codes where !values.contains(code) {
                        models.diagnostics.warning("x-tessera-error's code '\(code)' for \(status) is not one of '\(item.name)''s enum values; \(values[0]) is written instead", at: schema.source)
                    }
                    let preferred = roles.codes.first { $0.status == "default" }?.code ?? roles.codes.first { $0.status == "500" }?.code
                    let fallbackCode = preferred.flatMap { values.contains($0) ? $0 : nil } ?? (values.contains("server_error") ? "server_error" : values[0])
                    value = .binary(.call(.identifier(qualified), [Argument("rawValue", .identifier("code"))]), "??", .forceUnwrap(.call(.identifier(qualified), [Argument("rawValue", .string(fallbackCode))])))
                case .string?:
                    statements += codeStatements(roles)
                    value = .identifier("code")
                default:
                    models.diagnostics.warning("the error schema's code '\(item.name)' is neither a string nor an integer" + fallback, at: schema.source)
                    return nil
                }
            } else if item.name == roles.message {
                value = .identifier("message")
            } else if item.name == roles.correlationID {
                value = .identifier("correlationID")
            } else if item.name == roles.fieldErrors {
                guard case .array(let items?)? = models.resolve(item.schema).map({ SchemaShape.of($0, resolve: models.resolve) }),
                      let itemReference = items.reference else {
                    models.diagnostics.warning("the error schema's '\(item.name)' should be a list of a {field, message} schema; it is left out", at: schema.source)
                    continue
                }
                value = .binary(
                    .member(.identifier("fieldErrors"), "isEmpty"), "?",
                    .binary(.nil, ":", .call(.member(.identifier("fieldErrors"), "map"), [], trailingClosure: Closure(body: [
                        .expression(.call(.identifier(models.qualifiedName(of: itemReference.name)), [
                            Argument("field", .member(.identifier("$0"), "field")), Argument("message", .member(.identifier("$0"), "message")),
                        ])),
                    ])))
                )
            } else if !item.isRequired {
                continue
            } else {
                models.diagnostics.warning("the error schema's required '\(item.name)' has no role in x-tessera-error (code, message, correlation-id, field-errors)" + fallback, at: schema.source)
                return nil
            }
            arguments.append(Argument(label, value))
        }
        statements.append(.returnStatement(.call(.identifier("Self"), arguments)))
        let declaration = Declaration.extensionBlock(ExtensionDeclaration(
            doc: "The published error body: every failure the server answers is written in this shape.",
            extendedType: models.qualifiedName(of: name),
            conformances: ["APIErrorBody"],
            members: [.function(FunctionDeclaration(
                isStatic: true,
                kind: .function(name: "make"),
                parameters: [
                    FunctionParameter(label: "status", name: "status", type: .named("Int")),
                    FunctionParameter(label: "message", name: "message", type: .named("String")),
                    FunctionParameter(label: "correlationID", name: "correlationID", type: .named("String")),
                    FunctionParameter(label: "fieldErrors", name: "fieldErrors", type: .array(.named("FieldError"))),
                ],
                returnType: .named("Self"),
                body: statements
            ))]
        ))
        return (declaration, models.qualifiedName(of: name))
    }

    /// `let code = …`: the spec's code for `status`, from `codes` or the reason phrase.
    private func codeStatements(_ roles: Roles) -> [Statement] {
        let listed = roles.codes.filter { $0.status != "default" }
        let otherwise: Expression = roles.codes.first { $0.status == "default" }.map { .string($0.code) }
            ?? .member(.call(.member(.identifier("APIError"), "Status"), [.unlabeled(.identifier("status"))]), "slug")
        guard !listed.isEmpty else { return [.binding(.let, "code", nil, otherwise)] }
        var cases = listed.map { SwitchCase(patterns: [.literal(.int(Int($0.status)!))], body: [.expression(.binary(.identifier("code"), "=", .string($0.code)))]) }
        cases.append(SwitchCase(patterns: nil, body: [.expression(.binary(.identifier("code"), "=", otherwise))]))
        return [
            .comment("The spec's code for this status (x-tessera-error's `codes`)."),
            .binding(.let, "code", .named("String"), nil),
            .switchStatement(.identifier("status"), cases),
        ]
    }

    /// The marker's roles, checked against the schema's properties; nil (with a warning) when one is missing.
    private func roles(_ marker: JSONValue, shape: ObjectShape, schema: Schema) -> Roles? {
        let names = Set(shape.properties.map(\.name))
        var roles = Roles()
        switch marker {
        case .bool(true):
            roles.correlationID = names.contains("correlationId") ? "correlationId" : nil
            roles.fieldErrors = names.contains("errors") ? "errors" : nil
        case .object(let fields):
            for (key, value) in zip(fields.keys, fields.values) {
                switch (key, value) {
                case ("code", .string(let property)): roles.code = property
                case ("message", .string(let property)): roles.message = property
                case ("correlation-id", .string(let property)): roles.correlationID = property
                case ("field-errors", .string(let property)): roles.fieldErrors = property
                case ("codes", .object(let table)):
                    for (status, code) in zip(table.keys, table.values) {
                        guard let code = code.stringValue, status == "default" || (Int(status).map { (400...599).contains($0) } ?? false) else {
                            models.diagnostics.warning("x-tessera-error's codes map a 4xx/5xx status (or default) to a string; '\(status)' is ignored", at: schema.source)
                            continue
                        }
                        roles.codes.append((status, code))
                    }
                default:
                    models.diagnostics.warning("x-tessera-error has no '\(key)' of this kind (code, message, correlation-id and field-errors name properties; codes maps statuses to codes); it is ignored", at: schema.source)
                }
            }
        default:
            models.diagnostics.warning("x-tessera-error is true or an object naming the error schema's properties; errors use the runtime's own format (RFC 9457 problem details)", at: schema.source)
            return nil
        }
        for (role, property) in [("code", roles.code), ("message", roles.message), ("correlation-id", roles.correlationID), ("field-errors", roles.fieldErrors)] {
            if let property, !names.contains(property) {
                models.diagnostics.warning("x-tessera-error's \(role) names '\(property)', which the error schema does not have; errors use the runtime's own format (RFC 9457 problem details)", at: schema.source)
                return nil
            }
        }
        return roles
    }
}
