import GeneratorDiagnostics
import OpenAPIModel
import YAMLLoader

extension ModelBuilder {
    /// A `$ref` entry of a mapping, if the mapping is a reference.
    func refNode(_ node: YAMLNode) -> YAMLNode? {
        node.mapping?.first { $0.key.scalar?.text == "$ref" }?.value
    }

    func parameterOrRef(_ node: YAMLNode) -> Referenceable<Parameter>? {
        if let ref = refNode(node) {
            return reference(in: node, refNode: ref, kind: .parameters, section: \.parameters, build: parameterOrRef)
                .map(Referenceable.reference)
        }
        return parameter(node).map(Referenceable.value)
    }

    /// A Parameter Object; nil when it lacks a usable `name` or `in`.
    func parameter(_ node: YAMLNode) -> Parameter? {
        guard let entries = entries(node, "a parameter") else { return nil }
        var name: String?
        var location: ParameterLocation?
        var locationNode: YAMLNode?
        var required: Bool?
        var styleNode: YAMLNode?
        var explode: Bool?
        var fields: [(YAMLMappingEntry, String)] = []
        for entry in entries {
            guard let key = keyText(entry.key) else { continue }
            switch key {
            case "name": name = string(entry.value, key)
            case "in":
                locationNode = entry.value
                guard let text = string(entry.value, key) else { continue }
                location = ParameterLocation(rawValue: text)
                if location == nil {
                    diagnostics.error("unknown parameter location 'in: \(text)'; expected path, query, header or cookie\(text == "body" || text == "formData" ? " (Swagger 2.0's '\(text)' parameters are requestBody in OpenAPI 3)" : "")", at: entry.value.location)
                }
            case "required": required = bool(entry.value, key)
            case "style": styleNode = entry.value
            case "explode": explode = bool(entry.value, key)
            default: fields.append((entry, key))
            }
        }
        guard let name else {
            missing("name", in: "a parameter", at: node)
            return nil
        }
        guard let location else {
            if locationNode == nil { missing("in", in: "parameter '\(name)'", at: node) }
            return nil
        }
        var style = location.defaultStyle
        if let styleNode, let text = string(styleNode, "style") {
            if let parsed = ParameterStyle(rawValue: text), location.allowedStyles.contains(parsed) {
                style = parsed
            } else {
                let allowed = ParameterStyle.allCases.filter(location.allowedStyles.contains).map(\.rawValue).joined(separator: ", ")
                diagnostics.error("style '\(text)' is not allowed for a \(location.rawValue) parameter; expected \(allowed)", at: styleNode.location)
            }
        }
        var parameter = Parameter(
            name: name, location: location, required: required ?? false,
            style: style, explode: explode ?? (style == .form), source: node.location
        )
        for (entry, key) in fields {
            let value = entry.value
            switch key {
            case "description": parameter.description = string(value, key)
            case "deprecated": parameter.deprecated = bool(value, key) ?? false
            case "allowEmptyValue": parameter.allowEmptyValue = bool(value, key) ?? false
            case "allowReserved": parameter.allowReserved = bool(value, key) ?? false
            case "schema": parameter.schema = schemaOrRef(value)
            case "content":
                parameter.content = content(value)
                parameter.schema = parameter.schema ?? singleContentSchema(parameter.content, at: value)
            case "example": parameter.examples.append(jsonValue(value))
            case "examples": parameter.examples += exampleValues(value)
            default:
                extensionOrUnknown(entry, key: key, in: "parameter '\(name)'", into: &parameter.extensions)
            }
        }
        if parameter.schema == nil {
            diagnostics.warning("parameter '\(name)' has neither 'schema' nor 'content'; it is read as a string", at: node.location)
        }
        return parameter
    }

    func headerOrRef(_ node: YAMLNode) -> Referenceable<Header> {
        if let ref = refNode(node) {
            if let reference = reference(in: node, refNode: ref, kind: .headers, section: \.headers, build: headerOrRef) {
                return .reference(reference)
            }
            return .value(Header(source: node.location))
        }
        return .value(header(node))
    }

    /// A `headers` map: header name → header (or `$ref`).
    func headers(_ node: YAMLNode) -> OrderedDictionary<Referenceable<Header>> {
        var result = OrderedDictionary<Referenceable<Header>>()
        for entry in entries(node, "'headers'") ?? [] {
            guard let name = keyText(entry.key) else { continue }
            result[name] = headerOrRef(entry.value)
        }
        return result
    }

    func header(_ node: YAMLNode) -> Header {
        var header = Header(source: node.location)
        guard let entries = entries(node, "a header") else { return header }
        for entry in entries {
            guard let key = keyText(entry.key) else { continue }
            let value = entry.value
            switch key {
            case "description": header.description = string(value, key)
            case "required": header.required = bool(value, key) ?? false
            case "deprecated": header.deprecated = bool(value, key) ?? false
            case "style":
                if let text = string(value, key), text != "simple" {
                    diagnostics.error("style '\(text)' is not allowed for a header; expected simple", at: value.location)
                }
            case "explode": header.explode = bool(value, key) ?? false
            case "schema": header.schema = schemaOrRef(value)
            case "content":
                header.content = content(value)
                header.schema = header.schema ?? singleContentSchema(header.content, at: value)
            case "example", "examples", "allowEmptyValue", "allowReserved":
                continue
            case "name", "in":
                diagnostics.warning("a header must not have '\(key)'; its name is its key", at: entry.key.location)
            default:
                extensionOrUnknown(entry, key: key, in: "a header", into: &header.extensions)
            }
        }
        return header
    }

    /// A `content` map: media type → Media Type Object.
    func content(_ node: YAMLNode) -> OrderedDictionary<MediaType> {
        var result = OrderedDictionary<MediaType>()
        guard let entries = entries(node, "'content'") else { return result }
        for entry in entries {
            guard let type = keyText(entry.key) else { continue }
            result[type] = mediaType(entry.value)
        }
        return result
    }

    private func mediaType(_ node: YAMLNode) -> MediaType {
        var media = MediaType(source: node.location)
        // `content: {application/json: {}}` is common and means "any JSON".
        guard node.scalar?.value != .null, let entries = entries(node, "a media type") else { return media }
        for entry in entries {
            guard let key = keyText(entry.key) else { continue }
            let value = entry.value
            switch key {
            case "schema": media.schema = schemaOrRef(value)
            case "example": media.examples.append(jsonValue(value))
            case "examples": media.examples += exampleValues(value)
            case "encoding":
                guard let encodings = self.entries(value, "'encoding'") else { continue }
                for encoding in encodings {
                    guard let property = keyText(encoding.key) else { continue }
                    media.encoding[property] = self.encoding(encoding.value)
                }
            default:
                extensionOrUnknown(entry, key: key, in: "a media type", into: &media.extensions)
            }
        }
        return media
    }

    private func encoding(_ node: YAMLNode) -> Encoding {
        var encoding = Encoding(source: node.location)
        guard let entries = entries(node, "an encoding") else { return encoding }
        for entry in entries {
            guard let key = keyText(entry.key) else { continue }
            let value = entry.value
            switch key {
            case "contentType": encoding.contentType = string(value, key)
            case "style":
                if let text = string(value, key) {
                    encoding.style = ParameterStyle(rawValue: text)
                    if encoding.style == nil {
                        diagnostics.error("unknown style '\(text)'", at: value.location)
                    }
                }
            case "explode": encoding.explode = bool(value, key)
            case "allowReserved": encoding.allowReserved = bool(value, key) ?? false
            case "headers":
                encoding.headers = headers(value)
            default:
                if !key.hasPrefix("x-") {
                    diagnostics.warning("unknown key '\(key)' in an encoding is ignored", at: entry.key.location)
                }
            }
        }
        return encoding
    }

    /// Parameters and headers with `content` take their schema from its one entry.
    private func singleContentSchema(_ content: OrderedDictionary<MediaType>, at node: YAMLNode) -> SchemaOrRef? {
        if content.count != 1 {
            diagnostics.error("'content' of a parameter or header must hold exactly one media type, not \(content.count)", at: node.location)
        }
        return content.values.first?.schema
    }

    /// The values of an Examples map (`{name: {value: ...}}`); references to
    /// `components/examples` are documentation and are not followed.
    private func exampleValues(_ node: YAMLNode) -> [JSONValue] {
        guard let entries = node.mapping else {
            diagnostics.warning("'examples' here is a map of named Example Objects; this one is ignored", at: node.location)
            return []
        }
        return entries.compactMap { $0.value["value"].map(jsonValue) }
    }
}
