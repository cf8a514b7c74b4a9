import GeneratorDiagnostics
import OpenAPIModel
import YAMLLoader

extension ModelBuilder {
    /// The root document. Nil only when the file is not an OpenAPI 3.x
    /// document at all (then an error says why).
    func document() -> OpenAPIDocument? {
        guard let entries = entries(rootNode, "an OpenAPI document") else { return nil }
        guard let versionNode = rootNode["openapi"] else {
            if rootNode["swagger"] != nil {
                diagnostics.error("Swagger 2.0 documents are not supported; convert it to OpenAPI 3.0 or 3.1", at: rootNode.location)
            } else {
                missing("openapi", in: "an OpenAPI document", at: rootNode)
            }
            return nil
        }
        guard let versionText = string(versionNode, "openapi") else { return nil }
        if versionText.hasPrefix("3.0") {
            version = .v3_0
        } else if versionText.hasPrefix("3.1") {
            version = .v3_1
        } else if versionText.hasPrefix("3.") {
            diagnostics.warning("OpenAPI \(versionText) is read as 3.1", at: versionNode.location)
            version = .v3_1
        } else {
            diagnostics.error("OpenAPI version '\(versionText)' is not supported; expected 3.0.x or 3.1.x", at: versionNode.location)
            return nil
        }

        reserveRootComponentNames()
        var document = OpenAPIDocument(openapi: versionText, version: version, info: Info(title: "", version: ""), source: rootNode.location)
        var sawInfo = false
        // Components first: their names and shapes are what everything else refers to.
        if let componentsNode = rootNode["components"] {
            buildComponents(componentsNode)
        }
        for entry in entries {
            guard let key = keyText(entry.key) else { continue }
            let value = entry.value
            switch key {
            case "openapi", "components":
                continue
            case "info":
                sawInfo = true
                if let info = info(value) { document.info = info }
            case "jsonSchemaDialect": document.jsonSchemaDialect = string(value, key)
            case "servers": document.servers = servers(value)
            case "paths": document.paths = paths(value, what: "paths")
            case "webhooks": document.webhooks = paths(value, what: "webhooks")
            case "security": document.security = securityRequirements(value)
            case "tags":
                document.tags = (items(value, key) ?? []).compactMap { tag in
                    guard let name = tag["name"].flatMap({ string($0, "name") }) else {
                        missing("name", in: "a tag", at: tag)
                        return nil
                    }
                    return Tag(name: name, description: tag["description"]?.scalar?.text)
                }
            case "externalDocs":
                continue
            default:
                extensionOrUnknown(entry, key: key, in: "the document", into: &document.extensions)
            }
        }
        if !sawInfo { missing("info", in: "an OpenAPI document", at: rootNode) }
        if version == .v3_0 && rootNode["paths"] == nil {
            missing("paths", in: "an OpenAPI 3.0 document", at: rootNode)
        }
        if version == .v3_1 && rootNode["paths"] == nil && rootNode["webhooks"] == nil && rootNode["components"] == nil {
            diagnostics.error("an OpenAPI 3.1 document must have at least one of 'paths', 'webhooks' or 'components'", at: rootNode.location)
        }
        document.components = components
        return document
    }

    private func info(_ node: YAMLNode) -> Info? {
        guard let entries = entries(node, "'info'") else { return nil }
        var info = Info(title: "", version: "")
        var sawTitle = false
        var sawVersion = false
        for entry in entries {
            guard let key = keyText(entry.key) else { continue }
            let value = entry.value
            switch key {
            case "title":
                sawTitle = true
                info.title = string(value, key) ?? ""
            case "version":
                sawVersion = true
                info.version = string(value, key) ?? ""
            case "summary": info.summary = string(value, key)
            case "description": info.description = string(value, key)
            case "termsOfService": info.termsOfService = string(value, key)
            case "contact":
                info.contactName = value["name"]?.scalar?.text
                info.contactURL = value["url"]?.scalar?.text
                info.contactEmail = value["email"]?.scalar?.text
            case "license":
                info.licenseName = value["name"]?.scalar?.text
                info.licenseURL = value["url"]?.scalar?.text
            default: extensionOrUnknown(entry, key: key, in: "'info'", into: &info.extensions)
            }
        }
        if !sawTitle { missing("title", in: "'info'", at: node) }
        if !sawVersion { missing("version", in: "'info'", at: node) }
        return info
    }

    private func paths(_ node: YAMLNode, what: String) -> OrderedDictionary<PathItem> {
        var result = OrderedDictionary<PathItem>()
        guard node.scalar?.value != .null, let entries = entries(node, "'\(what)'") else { return result }
        for entry in entries {
            guard let path = keyText(entry.key) else { continue }
            if path.hasPrefix("x-") { continue }
            if what == "paths" && !path.hasPrefix("/") {
                diagnostics.error("path '\(path)' must start with '/'", at: entry.key.location)
            }
            result[path] = pathItem(entry.value, path: path, keyLocation: entry.key.location)
        }
        return result
    }

    /// Builds every section of `components` the model holds, in document order.
    private func buildComponents(_ node: YAMLNode) {
        guard let sections = entries(node, "'components'") else { return }
        for section in sections {
            guard let name = keyText(section.key) else { continue }
            if name.hasPrefix("x-") { continue }
            guard let kind = ComponentKind(rawValue: name) else {
                diagnostics.warning("unknown key '\(name)' in components is ignored", at: section.key.location)
                continue
            }
            guard let entries = entries(section.value, "components.\(name)") else { continue }
            for entry in entries {
                guard let key = keyText(entry.key) else { continue }
                if !Self.isValidComponentName(key) {
                    diagnostics.warning("component name '\(key)' should match ^[a-zA-Z0-9.\\-_]+$", at: entry.key.location)
                }
                let value = entry.value
                switch kind {
                case .schemas: components.schemas[key] = schemaOrRef(value)
                case .responses: components.responses[key] = responseOrRef(value)
                case .parameters: components.parameters[key] = parameterOrRef(value)
                case .requestBodies: components.requestBodies[key] = requestBodyOrRef(value)
                case .headers: components.headers[key] = headerOrRef(value)
                case .securitySchemes: components.securitySchemes[key] = securitySchemeOrRef(value)
                case .pathItems: components.pathItems[key] = .value(pathItem(value, path: key, keyLocation: entry.key.location))
                case .examples, .links, .callbacks:
                    continue  // documentation only; nothing generated reads them
                }
            }
        }
    }

    static func isValidComponentName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"):
                return true
            default:
                return false
            }
        }
    }
}
