import GeneratorDiagnostics
import OpenAPIModel
import SwiftRepresentation

/// One operation's view of the spec, resolved: what the input and output
/// types hold and how each part travels. Built once per operation and used
/// for the types (`Operations.X`), the server protocol and the routes.
struct OperationPlan {
    /// One input parameter.
    struct Parameter {
        var name: String
        var location: ParameterLocation
        var swiftName: String
        var usage: ModelTranslator.Usage
        var isRequired: Bool
        /// A Swift expression for the schema's `default`, when it has one.
        var defaultValue: Expression?
        var style: ParameterStyle
        var explode: Bool
        var kind: Kind
        var doc: String?

        enum Kind {
            /// A scalar (String, Int, UUID, Date, Bool, Double, string enum...).
            case scalar
            /// An array of scalars.
            case array
            /// `style: deepObject` (`name[key]=value`), read as a dictionary of strings.
            case deepObject
        }

        /// Optional unless required or defaulted.
        var type: TypeName {
            isRequired || defaultValue != nil ? usage.type : usage.type.asOptional
        }
    }

    /// How the request body is read.
    enum Body {
        /// A JSON media type, decoded and validated into `type`.
        case json(type: TypeName, rules: Expression?, contentTypes: [String])
        /// Any other media type, handed over as bytes.
        case raw(contentTypes: [String])
    }

    /// One documented response.
    struct Response {
        var status: String
        var caseName: String
        /// nil when the response has no body.
        var body: Body?
        var headers: [(name: String, swiftName: String)]
        var doc: String?

        /// The fixed status code, or nil for ranges (`4XX`) and `default`.
        var code: Int? { Int(status) }
    }

    var operation: OpenAPIOperation
    /// `GetTokens`
    var typeName: String
    /// `getTokens`
    var methodName: String
    var parameters: [Parameter]
    var body: Body?
    var bodyRequired: Bool
    var responses: [Response]
    /// Types declared inside `Operations.X` (inline enums and objects).
    var nestedTypes: [Declaration]
    /// Security alternatives in force (the operation's, else the document's).
    var security: [SecurityRequirement]
}

/// Builds the `OperationPlan`s of a document and the `Operations` namespace.
struct OperationTranslator {
    let models: ModelTranslator
    let document: OpenAPIDocument

    init(models: ModelTranslator) {
        self.models = models
        self.document = models.document
    }

    /// Plans for every operation under `paths`, in document order.
    func plans() -> [OperationPlan] {
        var typeScope = NameScope()
        var methodScope = NameScope()
        var result: [OperationPlan] = []
        for (path, item) in document.paths {
            for operation in item.operations {
                let id = operation.operationId ?? Self.synthesizedID(operation.method, path)
                let typeName = typeScope.unique(SwiftNames.typeName(id))
                let methodName = methodScope.unique(SwiftNames.memberName(id))
                result.append(plan(operation, item: item, typeName: typeName, methodName: methodName))
            }
        }
        return result
    }

    /// `get` + `/admin/realms/{realm}/users` → `getAdminRealmsRealmUsers`,
    /// for specs (like Keycloak's) without operationIds.
    static func synthesizedID(_ method: HTTPMethod, _ path: String) -> String {
        ([method.rawValue] + SwiftNames.words(path).map(String.init)).joined(separator: "_")
    }

    private func plan(_ operation: OpenAPIOperation, item: PathItem, typeName: String, methodName: String) -> OperationPlan {
        var nested: [Declaration] = []
        var typeScope = NameScope(reserved: ["Input", "Output"])
        var memberScope = NameScope(reserved: SwiftNames.unusableMemberNames.union(["body"]))
        let owner = "#operation:" + typeName

        // Operation parameters override path-level ones of the same name and location.
        let own = operation.parameters.compactMap(resolve)
        let inherited = item.parameters.compactMap(resolve).filter { candidate in
            !own.contains { $0.name == candidate.name && $0.location == candidate.location }
        }
        var parameters: [OperationPlan.Parameter] = []
        for parameter in inherited + own {
            let schema: SchemaOrRef = parameter.schema ?? .value(Self.stringSchema(parameter.source))
            var usage = models.usage(of: schema, suggested: parameter.name, owner: owner, scope: &typeScope, nested: &nested)
            let resolved = models.resolve(schema)
            var kind = OperationPlan.Parameter.Kind.scalar
            if isScalar(schema) {
                kind = .scalar
            } else if case .array(let items?)? = resolved.map({ SchemaShape.of($0, resolve: models.resolve) }), isScalar(items) {
                kind = .array
            } else if parameter.style == .deepObject {
                kind = .deepObject
                usage = ModelTranslator.Usage(type: .dictionary(key: .named("String"), value: .named("String")), isNullable: false)
            } else {
                models.diagnostics.warning("parameter '\(parameter.name)' has a shape the generator does not decode (\(parameter.style.rawValue) objects); it is read as its raw text", at: parameter.source)
                usage = ModelTranslator.Usage(type: .named("String"), isNullable: false)
            }
            let defaultValue = resolved?.defaultValue.flatMap { defaultExpression($0, type: usage.type, schema: resolved) }
            parameters.append(OperationPlan.Parameter(
                name: parameter.name,
                location: parameter.location,
                swiftName: memberScope.unique(SwiftNames.memberName(parameter.name)),
                usage: usage,
                isRequired: parameter.required,
                defaultValue: defaultValue,
                style: parameter.style,
                explode: parameter.explode,
                kind: kind,
                doc: parameter.description ?? models.doc(resolved)
            ))
        }

        var body: OperationPlan.Body?
        var bodyRequired = false
        if let requestBody = operation.requestBody.flatMap(resolveBody) {
            bodyRequired = requestBody.required
            if case .bool(true)? = operation.extensions["x-raw-body"] {
                // The handler needs the bytes as sent (say, to check a
                // signature over them): the schema documents, nothing decodes.
                body = .raw(contentTypes: requestBody.content.keys)
            } else {
                body = self.body(requestBody.content, suggested: "Body", owner: owner, scope: &typeScope, nested: &nested, at: requestBody.source)
            }
        }

        var caseScope = NameScope(reserved: ["init"])
        var responses: [OperationPlan.Response] = []
        for (status, responseOrRef) in operation.responses {
            guard let response = resolveResponse(responseOrRef) else { continue }
            let caseName = caseScope.unique(Self.caseName(forStatus: status))
            let suggested = SwiftNames.typeName(caseName) + "Body"
            let responseBody = response.content.isEmpty ? nil : self.body(response.content, suggested: suggested, owner: owner, scope: &typeScope, nested: &nested, at: response.source)
            var headerScope = NameScope()
            let headers = response.headers.keys.filter { $0.lowercased() != "content-type" }.map { name in
                (name: name, swiftName: headerScope.unique(SwiftNames.memberName(name)))
            }
            responses.append(OperationPlan.Response(
                status: status, caseName: caseName, body: responseBody, headers: headers,
                doc: "\(status): \(response.description.trimmingTrailingNewlines)"
            ))
        }

        // Types declared inside `Operations.X` are named in full, so the routes
        // (outside that namespace) can use them too.
        let nestedNames = Set(nested.compactMap(Self.declaredName))
        let qualify = { (type: TypeName) in Self.qualified(type, nestedNames, in: "Operations.\(typeName)") }
        for index in parameters.indices {
            parameters[index].usage.type = qualify(parameters[index].usage.type)
            // An enum default names its (nested) type too: `Mode(rawValue: "fast")!`.
            if case .forceUnwrap(.call(.type(let type), let arguments, _))? = parameters[index].defaultValue {
                parameters[index].defaultValue = .forceUnwrap(.call(.type(qualify(type)), arguments))
            }
        }
        if case .json(let type, let rules, let contentTypes)? = body {
            body = .json(type: qualify(type), rules: rules, contentTypes: contentTypes)
        }
        for index in responses.indices {
            if case .json(let type, let rules, let contentTypes)? = responses[index].body {
                responses[index].body = .json(type: qualify(type), rules: rules, contentTypes: contentTypes)
            }
        }

        return OperationPlan(
            operation: operation, typeName: typeName, methodName: methodName,
            parameters: parameters, body: body, bodyRequired: bodyRequired,
            responses: responses, nestedTypes: nested,
            security: operation.security ?? document.security ?? []
        )
    }

    private func body(_ content: OrderedDictionary<MediaType>, suggested: String, owner: String, scope: inout NameScope, nested: inout [Declaration], at source: SourceLocation) -> OperationPlan.Body {
        let json = content.filter { Self.isJSON($0.key) }
        if let first = json.first {
            let schema = first.value.schema ?? .value(Schema(source: source))
            let usage = models.usage(of: schema, suggested: suggested, owner: owner, scope: &scope, nested: &nested)
            let others = content.keys.filter { !Self.isJSON($0) }
            if !others.isEmpty {
                models.diagnostics.warning("only the JSON media types of this body are generated; \(others.joined(separator: ", ")) \(others.count == 1 ? "is" : "are") handled as raw bytes", at: source)
            }
            return .json(type: usage.isNullable ? usage.type.asOptional : usage.type, rules: usage.rules, contentTypes: json.map(\.key))
        }
        return .raw(contentTypes: content.keys)
    }

    static func declaredName(_ declaration: Declaration) -> String? {
        switch declaration {
        case .structure(let decl): return decl.name
        case .enumeration(let decl): return decl.name
        case .typeAlias(let decl): return decl.name
        default: return nil
        }
    }

    static func qualified(_ type: TypeName, _ names: Set<String>, in namespace: String) -> TypeName {
        switch type {
        case .named(let name): return names.contains(name) ? .named("\(namespace).\(name)") : type
        case .optional(let wrapped): return .optional(qualified(wrapped, names, in: namespace))
        case .array(let element): return .array(qualified(element, names, in: namespace))
        case .dictionary(let key, let value): return .dictionary(key: key, value: qualified(value, names, in: namespace))
        case .generic(let name, let arguments): return .generic(name, arguments.map { qualified($0, names, in: namespace) })
        case .metatype(let base): return .metatype(qualified(base, names, in: namespace))
        }
    }

    static func isJSON(_ contentType: String) -> Bool {
        let base = (contentType.split(separator: ";").first ?? "").filter { $0 != " " }.lowercased()
        return base == "application/json" || base.hasSuffix("+json")
    }

    /// Strings, numbers, booleans and enums: what a parameter can carry as text.
    private func isScalar(_ schema: SchemaOrRef) -> Bool {
        guard let resolved = models.resolve(schema) else { return false }
        switch SchemaShape.of(resolved, resolve: models.resolve) {
        case .string, .integer, .number, .boolean, .stringEnum, .integerEnum: return true
        case .alias(let reference): return isScalar(.reference(reference))
        default: return false
        }
    }

    private static func stringSchema(_ source: SourceLocation) -> Schema {
        var schema = Schema(source: source)
        schema.types = [.string]
        return schema
    }

    /// `200` → `ok`, `404` → `notFound`, `4XX` → `clientError`, `default` → `default`.
    static func caseName(forStatus status: String) -> String {
        let names: [String: String] = [
            "100": "continue", "101": "switchingProtocols", "200": "ok", "201": "created", "202": "accepted",
            "203": "nonAuthoritativeInformation", "204": "noContent", "205": "resetContent", "206": "partialContent",
            "300": "multipleChoices", "301": "movedPermanently", "302": "found", "303": "seeOther", "304": "notModified",
            "307": "temporaryRedirect", "308": "permanentRedirect", "400": "badRequest", "401": "unauthorized",
            "402": "paymentRequired", "403": "forbidden", "404": "notFound", "405": "methodNotAllowed",
            "406": "notAcceptable", "408": "requestTimeout", "409": "conflict", "410": "gone",
            "411": "lengthRequired", "412": "preconditionFailed", "413": "contentTooLarge", "414": "uriTooLong",
            "415": "unsupportedMediaType", "416": "rangeNotSatisfiable", "417": "expectationFailed",
            "421": "misdirectedRequest", "422": "unprocessableContent", "423": "locked", "424": "failedDependency",
            "425": "tooEarly", "426": "upgradeRequired", "428": "preconditionRequired", "429": "tooManyRequests",
            "431": "requestHeaderFieldsTooLarge", "451": "unavailableForLegalReasons", "500": "internalServerError",
            "501": "notImplemented", "502": "badGateway", "503": "serviceUnavailable", "504": "gatewayTimeout",
            "1XX": "informational", "2XX": "success", "3XX": "redirection", "4XX": "clientError", "5XX": "serverError",
            "default": "`default`",
        ]
        return names[status.uppercased() == status ? status : status.uppercased()] ?? names[status] ?? "status\(status)"
    }

    // MARK: Resolving

    func resolve(_ parameter: Referenceable<Parameter>) -> Parameter? {
        switch parameter {
        case .value(let value): return value
        case .reference(let reference): return document.components.parameters.resolve(reference.name)
        }
    }

    private func resolveBody(_ body: Referenceable<RequestBody>) -> RequestBody? {
        switch body {
        case .value(let value): return value
        case .reference(let reference): return document.components.requestBodies.resolve(reference.name)
        }
    }

    func resolveResponse(_ response: Referenceable<OpenAPIModel.Response>) -> OpenAPIModel.Response? {
        switch response {
        case .value(let value): return value
        case .reference(let reference): return document.components.responses.resolve(reference.name)
        }
    }

    // MARK: Defaults

    private func isEnum(_ schema: Schema?) -> Bool {
        guard let schema else { return false }
        if case .stringEnum = SchemaShape.of(schema, resolve: models.resolve) { return true }
        return false
    }

    /// A Swift literal for a parameter's `default`, when its type can hold it.
    private func defaultExpression(_ value: JSONValue, type: TypeName, schema: Schema?) -> Expression? {
        switch (value, type) {
        case (.int(let number), .named("Int")), (.int(let number), .named("Int32")), (.int(let number), .named("Int64")):
            return .int(number)
        case (.int(let number), .named("Double")), (.int(let number), .named("Float")):
            return .literal(.number("\(number).0"))
        case (.double(let number), .named("Double")), (.double(let number), .named("Float")):
            return .literal(.number(ModelTranslator.doubleLiteral(number)))
        case (.bool(let flag), .named("Bool")):
            return .bool(flag)
        case (.string(let text), .named("String")):
            return .string(text)
        // Defaults written as strings for other types (Keycloak's `default: "false"`).
        case (.string(let text), .named("Bool")) where text == "true" || text == "false":
            return .bool(text == "true")
        case (.string(let text), .named("Int")), (.string(let text), .named("Int32")), (.string(let text), .named("Int64")):
            return Int(text).map(Expression.int)
        case (.string(let text), .named("Double")), (.string(let text), .named("Float")):
            return Double(text).map { .literal(.number(ModelTranslator.doubleLiteral($0))) }
        case (.string(let text), _) where isEnum(schema):
            // A string enum: its case for the default's raw value, which the
            // schema's own enum list contains.
            guard schema?.enumValues?.contains(.string(text)) == true else { return nil }
            return .forceUnwrap(.call(.type(type), [Argument("rawValue", .string(text))]))
        default:
            return nil
        }
    }
}
