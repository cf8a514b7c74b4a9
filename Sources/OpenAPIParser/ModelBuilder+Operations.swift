import GeneratorDiagnostics
import OpenAPIModel
import YAMLLoader

extension ModelBuilder {
    /// A Path Item under `paths` (or `webhooks`). A `$ref`'d path item (as the
    /// multi-file specs use) is built from its own file, in place.
    func pathItem(_ node: YAMLNode, path: String, keyLocation: SourceLocation) -> PathItem {
        if let ref = refNode(node) {
            guard let target = target(of: ref), let targetNode = self.node(at: target, refNode: ref) else {
                return PathItem(source: keyLocation)
            }
            guard resolutionDepth < Self.maxResolutionDepth else {
                diagnostics.error("references nest more than \(Self.maxResolutionDepth) deep here", at: ref.location)
                return PathItem(source: keyLocation)
            }
            guard let height = enterReference(to: targetNode, refNode: ref, text: target.text) else {
                return PathItem(source: keyLocation)
            }
            resolutionDepth += 1
            defer { resolutionDepth -= 1; referencedHeight -= height }
            return pathItem(targetNode, path: path, keyLocation: keyLocation)
        }
        var item = PathItem(source: keyLocation)
        guard let entries = entries(node, "path item '\(path)'") else { return item }
        for entry in entries {
            guard let key = keyText(entry.key) else { continue }
            let value = entry.value
            if let method = HTTPMethod(rawValue: key) {
                if let operation = operation(value, method: method, path: path, keyLocation: entry.key.location) {
                    item.operations.append(operation)
                }
                continue
            }
            switch key {
            case "summary": item.summary = string(value, key)
            case "description": item.description = string(value, key)
            case "parameters": item.parameters = parameterList(value)
            case "servers": item.servers = servers(value)
            default:
                if HTTPMethod(rawValue: key.lowercased()) != nil {
                    diagnostics.error("HTTP method '\(key)' must be written in lowercase", at: entry.key.location)
                } else {
                    extensionOrUnknown(entry, key: key, in: "path item '\(path)'", into: &item.extensions)
                }
            }
        }
        return item
    }

    func parameterList(_ node: YAMLNode) -> [Referenceable<Parameter>] {
        guard let list = items(node, "parameters") else { return [] }
        return list.compactMap(parameterOrRef)
    }

    /// An Operation Object; `keyLocation` is where its method key stands,
    /// which is where diagnostics about the whole operation point.
    private func operation(_ node: YAMLNode, method: HTTPMethod, path: String, keyLocation: SourceLocation) -> OpenAPIOperation? {
        var operation = OpenAPIOperation(method: method, path: path, source: keyLocation)
        let name = "operation \(method.rawValue.uppercased()) \(path)"
        guard let entries = entries(node, name) else { return nil }
        if version == .v3_0, node["responses"] == nil {
            // Required in 3.0; 3.1 made it optional.
            missing("responses", in: "\(name) (OpenAPI 3.0)", at: node)
        }
        for entry in entries {
            guard let key = keyText(entry.key) else { continue }
            let value = entry.value
            switch key {
            case "operationId": operation.operationId = string(value, key)
            case "summary": operation.summary = string(value, key)
            case "description": operation.description = string(value, key)
            case "tags": operation.tags = strings(value, key) ?? []
            case "parameters": operation.parameters = parameterList(value)
            case "requestBody": operation.requestBody = requestBodyOrRef(value)
            case "responses": operation.responses = responses(value, in: name)
            case "security": operation.security = securityRequirements(value)
            case "deprecated": operation.deprecated = bool(value, key) ?? false
            case "servers": operation.servers = servers(value)
            case "externalDocs":
                continue
            case "callbacks":
                diagnostics.warning("callbacks are not supported; the callbacks of \(name) are ignored", at: entry.key.location)
            default:
                extensionOrUnknown(entry, key: key, in: name, into: &operation.extensions)
            }
        }
        if method == .get || method == .head, operation.requestBody != nil {
            diagnostics.warning("a request body on \(method.rawValue.uppercased()) has no defined meaning in HTTP", at: keyLocation)
        }
        return operation
    }

    func requestBodyOrRef(_ node: YAMLNode) -> Referenceable<RequestBody>? {
        if let ref = refNode(node) {
            return reference(in: node, refNode: ref, kind: .requestBodies, section: \.requestBodies, build: requestBodyOrRef)
                .map(Referenceable.reference)
        }
        var body = RequestBody(source: node.location)
        guard let entries = entries(node, "a request body") else { return nil }
        var sawContent = false
        for entry in entries {
            guard let key = keyText(entry.key) else { continue }
            let value = entry.value
            switch key {
            case "description": body.description = string(value, key)
            case "content":
                sawContent = true
                body.content = content(value)
            case "required": body.required = bool(value, key) ?? false
            default: extensionOrUnknown(entry, key: key, in: "a request body", into: &body.extensions)
            }
        }
        if !sawContent { missing("content", in: "a request body", at: node) }
        return .value(body)
    }

    /// The Responses Object: status code (`200`, `4XX`, `default`) → response.
    private func responses(_ node: YAMLNode, in operation: String) -> OrderedDictionary<Referenceable<Response>> {
        var result = OrderedDictionary<Referenceable<Response>>()
        guard let entries = entries(node, "'responses'") else { return result }
        for entry in entries {
            guard let status = keyText(entry.key) else { continue }
            if status.hasPrefix("x-") { continue }
            guard Self.isStatusKey(status) else {
                diagnostics.error("response key '\(status)' is not a status code, a range like 4XX, or 'default'", at: entry.key.location)
                continue
            }
            if let response = responseOrRef(entry.value) {
                result[status] = response
            }
        }
        if result.isEmpty, version == .v3_0 {
            diagnostics.warning("\(operation) documents no response", at: node.location)
        }
        return result
    }

    static func isStatusKey(_ key: String) -> Bool {
        if key == "default" { return true }
        let bytes = Array(key.utf8)
        guard bytes.count == 3, (UInt8(ascii: "1")...UInt8(ascii: "5")).contains(bytes[0]) else { return false }
        let rest = bytes.dropFirst()
        return rest.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            || rest.allSatisfy { $0 == UInt8(ascii: "X") || $0 == UInt8(ascii: "x") }
    }

    func responseOrRef(_ node: YAMLNode) -> Referenceable<Response>? {
        if let ref = refNode(node) {
            return reference(in: node, refNode: ref, kind: .responses, section: \.responses, build: responseOrRef)
                .map(Referenceable.reference)
        }
        guard let entries = entries(node, "a response") else { return nil }
        var response = Response(description: "", source: node.location)
        var sawDescription = false
        for entry in entries {
            guard let key = keyText(entry.key) else { continue }
            let value = entry.value
            switch key {
            case "description":
                sawDescription = true
                response.description = string(value, key) ?? ""
            case "headers":
                response.headers = headers(value)
            case "content": response.content = content(value)
            case "links":
                continue
            default: extensionOrUnknown(entry, key: key, in: "a response", into: &response.extensions)
            }
        }
        if !sawDescription {
            diagnostics.warning("a response should have a 'description'", at: node.location)
        }
        return .value(response)
    }

    // MARK: Servers and security

    func servers(_ node: YAMLNode) -> [Server] {
        guard let list = items(node, "servers") else { return [] }
        return list.compactMap { item in
            guard let entries = entries(item, "a server") else { return nil }
            guard let urlNode = item["url"], let url = string(urlNode, "url") else {
                missing("url", in: "a server", at: item)
                return nil
            }
            var server = Server(url: url, source: item.location)
            for entry in entries {
                guard let key = keyText(entry.key) else { continue }
                switch key {
                case "url": continue
                case "description": server.description = string(entry.value, key)
                case "variables":
                    guard let variables = self.entries(entry.value, "'variables'") else { continue }
                    for variable in variables {
                        guard let name = keyText(variable.key) else { continue }
                        guard let defaultNode = variable.value["default"], let defaultValue = string(defaultNode, "default") else {
                            missing("default", in: "server variable '\(name)'", at: variable.value)
                            continue
                        }
                        let enumValues = variable.value["enum"].flatMap { strings($0, "enum") } ?? []
                        server.variables[name] = Server.Variable(
                            defaultValue: defaultValue, enumValues: enumValues,
                            description: variable.value["description"]?.scalar?.text
                        )
                    }
                default:
                    if !key.hasPrefix("x-") {
                        diagnostics.warning("unknown key '\(key)' in a server is ignored", at: entry.key.location)
                    }
                }
            }
            return server
        }
    }

    /// A `security` list: each item is one acceptable combination of schemes.
    func securityRequirements(_ node: YAMLNode) -> [SecurityRequirement] {
        guard let list = items(node, "security") else { return [] }
        return list.compactMap { item in
            guard let entries = entries(item, "a security requirement") else { return nil }
            let requirementEntries: [SecurityRequirement.Entry] = entries.compactMap { entry in
                guard let scheme = keyText(entry.key) else { return nil }
                let scopes = strings(entry.value, "scopes of '\(scheme)'") ?? []
                return SecurityRequirement.Entry(scheme: scheme, scopes: scopes, source: entry.key.location)
            }
            return SecurityRequirement(entries: requirementEntries, source: item.location)
        }
    }

    func securitySchemeOrRef(_ node: YAMLNode) -> Referenceable<SecurityScheme>? {
        if let ref = refNode(node) {
            return reference(in: node, refNode: ref, kind: .securitySchemes, section: \.securitySchemes, build: securitySchemeOrRef)
                .map(Referenceable.reference)
        }
        guard let entries = entries(node, "a security scheme") else { return nil }
        guard let typeNode = node["type"], let typeText = string(typeNode, "type") else {
            missing("type", in: "a security scheme", at: node)
            return nil
        }
        guard let kind = SecurityScheme.Kind(rawValue: typeText) else {
            diagnostics.error("unknown security scheme type '\(typeText)'; expected apiKey, http, oauth2, openIdConnect or mutualTLS", at: typeNode.location)
            return nil
        }
        var scheme = SecurityScheme(kind: kind, source: node.location)
        for entry in entries {
            guard let key = keyText(entry.key) else { continue }
            let value = entry.value
            switch key {
            case "type": continue
            case "description": scheme.description = string(value, key)
            case "name": scheme.name = string(value, key)
            case "in":
                if let text = string(value, key) {
                    scheme.location = ParameterLocation(rawValue: text)
                    if scheme.location == nil || scheme.location == .path {
                        diagnostics.error("an apiKey travels in query, header or cookie, not '\(text)'", at: value.location)
                    }
                }
            case "scheme": scheme.scheme = string(value, key)?.lowercased()
            case "bearerFormat": scheme.bearerFormat = string(value, key)
            case "flows":
                for flow in self.entries(value, "'flows'") ?? [] {
                    for scope in flow.value["scopes"]?.mapping ?? [] {
                        guard let name = keyText(scope.key) else { continue }
                        scheme.scopes[name] = scope.value.scalar?.text ?? ""
                    }
                }
            case "openIdConnectUrl": scheme.openIdConnectURL = string(value, key)
            default: extensionOrUnknown(entry, key: key, in: "a security scheme", into: &scheme.extensions)
            }
        }
        switch kind {
        case .apiKey:
            if scheme.name == nil { missing("name", in: "an apiKey security scheme", at: node) }
            if scheme.location == nil && node["in"] == nil { missing("in", in: "an apiKey security scheme", at: node) }
        case .http:
            if scheme.scheme == nil { missing("scheme", in: "an http security scheme", at: node) }
        case .oauth2:
            if node["flows"] == nil { missing("flows", in: "an oauth2 security scheme", at: node) }
        case .openIdConnect:
            if scheme.openIdConnectURL == nil { missing("openIdConnectUrl", in: "an openIdConnect security scheme", at: node) }
        case .mutualTLS:
            break
        }
        return .value(scheme)
    }
}
