import GeneratorDiagnostics
import OpenAPIModel

/// Document-wide rules that no single object can check on its own, run once
/// the model is built and every reference points into `components`:
/// - operationIds are unique;
/// - every `{name}` of a path template is declared as a path parameter, every
///   declared path parameter is in the template, and each is `required: true`;
/// - a parameter list does not declare the same name and location twice;
/// - templates that differ only in parameter names do not coexist;
/// - security requirements name declared schemes (a warning: real specs
///   such as Snyk's break this, and such a requirement simply cannot be met);
/// - components are not references to themselves (directly or in a cycle);
/// - discriminator mappings name schemas that exist (a warning, likewise);
/// - `pattern`s are valid regular expressions.
struct SemanticChecks {
    let document: OpenAPIDocument
    var diagnostics: DiagnosticCollector

    init(document: OpenAPIDocument, diagnostics: DiagnosticCollector) {
        self.document = document
        self.diagnostics = diagnostics
    }

    mutating func run() {
        checkReferenceCycles()
        checkOperationIds()
        checkEquivalentPaths()
        for (path, item) in document.paths {
            checkPathItem(item, path: path)
        }
        checkSecurity()
        checkSchemas()
    }

    // MARK: Operations and paths

    private mutating func checkOperationIds() {
        var seen: [String: OpenAPIOperation] = [:]
        for operation in document.operations + document.webhooks.values.flatMap(\.operations) {
            guard let id = operation.operationId else { continue }
            if let first = seen[id] {
                diagnostics.error(
                    "duplicate operationId '\(id)' (also used by \(first.method.rawValue.uppercased()) \(first.path))",
                    at: operation.source,
                    notes: [.note("'\(id)' is first used here", at: first.source)]
                )
            } else {
                seen[id] = operation
            }
        }
    }

    private mutating func checkEquivalentPaths() {
        var seen: [String: (path: String, item: PathItem)] = [:]
        for (path, item) in document.paths {
            guard let names = templateNames(path, at: item.source, report: false), !names.isEmpty else { continue }
            let shape = Self.templateShape(path)
            if let first = seen[shape] {
                diagnostics.error(
                    "path '\(path)' is the same template as '\(first.path)' with other parameter names",
                    at: item.source,
                    notes: [.note("'\(first.path)' is declared here", at: first.item.source)]
                )
            } else {
                seen[shape] = (path, item)
            }
        }
    }

    /// `/a/{x}/b` → `/a/{}/b`.
    static func templateShape(_ path: String) -> String {
        var result = ""
        var inside = false
        for character in path {
            if character == "{" { inside = true; result.append("{") }
            else if character == "}" { inside = false; result.append("}") }
            else if !inside { result.append(character) }
        }
        return result
    }

    /// The `{names}` of a path template, in order; nil (reported) when the
    /// braces do not balance or a name is empty.
    private mutating func templateNames(_ path: String, at location: SourceLocation, report: Bool = true) -> [String]? {
        var names: [String] = []
        var current: String?
        for character in path {
            switch character {
            case "{":
                if current != nil {
                    if report { diagnostics.error("path '\(path)' has a '{' inside a '{…}' parameter", at: location) }
                    return nil
                }
                current = ""
            case "}":
                guard let name = current, !name.isEmpty else {
                    if report { diagnostics.error("path '\(path)' has \(current == nil ? "a '}' without its '{'" : "an empty '{}' parameter")", at: location) }
                    return nil
                }
                names.append(name)
                current = nil
            default:
                current?.append(character)
            }
        }
        if current != nil {
            if report { diagnostics.error("path '\(path)' has a '{' that is never closed", at: location) }
            return nil
        }
        return names
    }

    private mutating func checkPathItem(_ item: PathItem, path: String) {
        let pathLevel = resolvedList(item.parameters)
        reportDuplicates(pathLevel)
        guard let names = templateNames(path, at: item.source) else { return }
        var seenNames = Set<String>()
        for name in names where !seenNames.insert(name).inserted {
            diagnostics.warning("path '\(path)' uses the parameter '{\(name)}' twice; both places take the same value", at: item.source)
        }
        for operation in item.operations {
            let own = resolvedList(operation.parameters)
            reportDuplicates(own)
            // OpenAPIOperation parameters override path-level ones of the same name and location.
            let overridden = Set(own.map { ParameterKey($0.parameter) })
            let effective = pathLevel.filter { !overridden.contains(ParameterKey($0.parameter)) } + own
            let declared = effective.filter { $0.parameter.location == .path }
            let label = "\(operation.method.rawValue.uppercased()) \(path)"
            for name in names where !declared.contains(where: { $0.parameter.name == name }) {
                diagnostics.error("path parameter '\(name)' of \(label) is not declared; add a parameter with 'in: path' and 'name: \(name)'", at: operation.source)
            }
            for entry in declared where !names.contains(entry.parameter.name) {
                diagnostics.error("path parameter '\(entry.parameter.name)' is declared for \(label), but the path has no '{\(entry.parameter.name)}'", at: entry.usedAt)
            }
        }
        // `required: true` is checked once per definition, wherever it is used.
        for entry in pathLevel + item.operations.flatMap({ resolvedList($0.parameters) })
        where entry.parameter.location == .path && !entry.parameter.required {
            requireOnce(entry.parameter)
        }
    }

    private var reportedNotRequired = Set<SourceLocation>()

    private mutating func requireOnce(_ parameter: Parameter) {
        guard reportedNotRequired.insert(parameter.source).inserted else { return }
        diagnostics.error("path parameter '\(parameter.name)' must have 'required: true'", at: parameter.source)
    }

    private struct ParameterKey: Hashable {
        let name: String
        let location: ParameterLocation
        init(_ parameter: Parameter) {
            name = parameter.name
            location = parameter.location
        }
    }

    private struct UsedParameter {
        let parameter: Parameter
        /// Where the list names it: the `$ref`, or the inline definition.
        let usedAt: SourceLocation
    }

    private func resolvedList(_ list: [Referenceable<Parameter>]) -> [UsedParameter] {
        list.compactMap { item in
            switch item {
            case .value(let parameter):
                return UsedParameter(parameter: parameter, usedAt: parameter.source)
            case .reference(let reference):
                return document.components.parameters.resolve(reference.name).map { UsedParameter(parameter: $0, usedAt: reference.source) }
            }
        }
    }

    private mutating func reportDuplicates(_ list: [UsedParameter]) {
        var seen: [ParameterKey: UsedParameter] = [:]
        for entry in list {
            let key = ParameterKey(entry.parameter)
            if let first = seen[key] {
                diagnostics.error(
                    "\(key.location.rawValue) parameter '\(key.name)' is declared twice in one list",
                    at: entry.usedAt,
                    notes: [.note("first declared here", at: first.usedAt)]
                )
            } else {
                seen[key] = entry
            }
        }
    }

    // MARK: References

    private mutating func checkReferenceCycles() {
        let components = document.components
        checkCycles(components.schemas, kind: .schemas)
        checkCycles(components.parameters, kind: .parameters)
        checkCycles(components.responses, kind: .responses)
        checkCycles(components.requestBodies, kind: .requestBodies)
        checkCycles(components.headers, kind: .headers)
        checkCycles(components.securitySchemes, kind: .securitySchemes)
    }

    private mutating func checkCycles<Value>(_ section: OrderedDictionary<Referenceable<Value>>, kind: ComponentKind) {
        var reported = Set<String>()
        // Components whose chain of references is known to end in an
        // object: a long chain is followed once, not once per link.
        var ending = Set<String>()
        for (start, entry) in section {
            guard case .reference(let first) = entry, !ending.contains(start) else { continue }
            var chain = [start]
            var onChain: Set<String> = [start]
            var next: Reference? = first
            while let reference = next {
                if onChain.contains(reference.name) {
                    if reported.insert(chain.sorted().joined(separator: ",")).inserted {
                        diagnostics.error("the \(kind.singular) '\(start)' is a cycle of references: \((chain + [reference.name]).joined(separator: " → "))", at: first.source)
                    }
                    break
                }
                if ending.contains(reference.name) { break }
                chain.append(reference.name)
                onChain.insert(reference.name)
                next = section[reference.name]?.reference
            }
            if next == nil || ending.contains(next!.name) {
                ending.formUnion(chain)
            }
        }
    }

    // MARK: Security

    private mutating func checkSecurity() {
        let operations = document.operations + document.webhooks.values.flatMap(\.operations)
        let requirements = (document.security ?? []) + operations.flatMap { $0.security ?? [] }
        for requirement in requirements {
            for entry in requirement.entries where !document.components.securitySchemes.contains(entry.scheme) {
                diagnostics.warning("security requirement names '\(entry.scheme)', which is not declared in components.securitySchemes; no request can meet it", at: entry.source)
            }
        }
    }

    // MARK: Schemas

    private mutating func checkSchemas() {
        var schemas: [Schema] = []
        SchemaWalker { schema in
            if schema.discriminator != nil || schema.pattern != nil { schemas.append(schema) }
        }.walk(document)
        for schema in schemas {
            if let discriminator = schema.discriminator {
                for (value, target) in discriminator.mapping {
                    let prefix = "#/components/schemas/"
                    guard target.hasPrefix(prefix) else { continue }
                    let name = JSONPointer.unescape(target.dropFirst(prefix.count))
                    if !document.components.schemas.contains(name) {
                        diagnostics.warning("discriminator mapping '\(value)' names the schema '\(name)', which does not exist; the entry is ignored", at: discriminator.source)
                    }
                }
            }
            // Compiling a regular expression is costly and specs repeat the
            // same few patterns (Snyk's hundreds of times): judge each once.
            if let pattern = schema.pattern, !patternValidity(pattern) {
                diagnostics.warning("pattern '\(pattern)' is not a valid regular expression; it will not be checked", at: schema.source)
            }
        }
    }

    private var knownPatterns: [String: Bool] = [:]

    private mutating func patternValidity(_ pattern: String) -> Bool {
        if let known = knownPatterns[pattern] { return known }
        let valid = (try? Regex(pattern)) != nil
        knownPatterns[pattern] = valid
        return valid
    }
}

/// Collects every inline schema of a document (components, parameters,
/// bodies, responses, headers), without following references.
struct SchemaWalker {
    /// Called once for each inline schema, outermost first.
    let visit: (Schema) -> Void

    func walk(_ document: OpenAPIDocument) {
        let components = document.components
        for schema in components.schemas.values { walk(schema) }
        for case .value(let parameter) in components.parameters.values { walk(parameter) }
        for case .value(let header) in components.headers.values { walk(header) }
        for case .value(let body) in components.requestBodies.values { walk(body.content) }
        for case .value(let response) in components.responses.values { walk(response) }
        var items = document.paths.values + document.webhooks.values
        for case .value(let item) in components.pathItems.values { items.append(item) }
        for item in items {
            for case .value(let parameter) in item.parameters { walk(parameter) }
            for operation in item.operations {
                for case .value(let parameter) in operation.parameters { walk(parameter) }
                if let body = operation.requestBody?.value { walk(body.content) }
                for case .value(let response) in operation.responses.values { walk(response) }
            }
        }
    }

    private func walk(_ parameter: Parameter) {
        if let schema = parameter.schema { walk(schema) }
    }

    private func walk(_ header: Header) {
        if let schema = header.schema { walk(schema) }
    }

    private func walk(_ response: Response) {
        for case .value(let header) in response.headers.values { walk(header) }
        walk(response.content)
    }

    private func walk(_ content: OrderedDictionary<MediaType>) {
        for media in content.values {
            if let schema = media.schema { walk(schema) }
        }
    }

    func walk(_ schemaOrRef: SchemaOrRef) {
        guard case .value(let schema) = schemaOrRef else { return }
        visit(schema)
        for property in schema.properties.values { walk(property) }
        if case .schema(let values)? = schema.additionalProperties { walk(values) }
        if let items = schema.items { walk(items) }
        for item in schema.prefixItems { walk(item) }
        for branch in schema.allOf + schema.oneOf + schema.anyOf { walk(branch) }
        if let not = schema.not { walk(not) }
    }
}
