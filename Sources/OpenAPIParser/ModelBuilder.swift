import GeneratorDiagnostics
import OpenAPIModel
import YAMLLoader

/// Builds the typed OpenAPI model from YAML node trees.
///
/// One pass over each mapping, with a `switch` on its keys: every key is read
/// once, and a key that belongs nowhere is reported where it stands.
/// `$ref`s are resolved as they are met (see `ModelBuilder+References.swift`);
/// the document-wide checks run afterwards (`SemanticChecks`).
final class ModelBuilder {
    var diagnostics = DiagnosticCollector()
    let files: SpecFiles
    let rootNode: YAMLNode
    let rootFile: SourceFile
    let rootCanonicalPath: String
    var version: OpenAPIDocument.Version = .v3_1
    var components = Components()

    /// `canonical path#pointer` → the component an object was bundled as.
    var bundled: [String: Reference] = [:]
    /// Canonical paths of the files references are written in.
    var canonicalPaths: [SourceFile: String] = [:]
    /// Targets whose object could not be built (already reported).
    var unbuildable: Set<String> = []
    /// Names taken in each section of `components` (the root's own first).
    var takenNames: [ComponentKind: Set<String>] = [:]
    /// How many `$ref`s are being resolved inside one another right now.
    var resolutionDepth = 0
    static let maxResolutionDepth = 200
    /// The levels of collections inside the objects those `$ref`s lead to,
    /// added up: how much deeper than one document building may recurse.
    /// Bounded by the loader's depth limit (see `enterReference`).
    var referencedHeight = 0
    /// `height(of:)` for nodes measured already (subtrees may be shared).
    var heights: [ObjectIdentifier: Int] = [:]

    init(rootNode: YAMLNode, files: SpecFiles) {
        self.rootNode = rootNode
        self.rootFile = rootNode.location.file
        self.rootCanonicalPath = files.canonicalPath(rootFile.path)
        self.files = files
        files.register(rootNode, file: rootFile)
    }

    // MARK: Reading fields

    /// The entries of a mapping node, or an error naming what it is instead.
    func entries(_ node: YAMLNode, _ what: String) -> [YAMLMappingEntry]? {
        if let entries = node.mapping { return entries }
        diagnostics.error("\(what) must be a mapping, not \(node.kindDescription)", at: node.location)
        return nil
    }

    func items(_ node: YAMLNode, _ what: String) -> [YAMLNode]? {
        if let items = node.sequence { return items }
        diagnostics.error("'\(what)' must be a list, not \(node.kindDescription)", at: node.location)
        return nil
    }

    /// A string field. Numbers and booleans are accepted with the text they
    /// were written as (`version: 1.0` reads "1.0"), as every tool does.
    func string(_ node: YAMLNode, _ key: String) -> String? {
        guard let scalar = node.scalar else {
            diagnostics.error("'\(key)' must be a string, not \(node.kindDescription)", at: node.location)
            return nil
        }
        if case .null = scalar.value {
            diagnostics.error("'\(key)' must be a string, not null", at: node.location)
            return nil
        }
        return scalar.text
    }

    func bool(_ node: YAMLNode, _ key: String) -> Bool? {
        if case .bool(let value)? = node.scalar?.value { return value }
        var message = "'\(key)' must be true or false, not \(node.kindDescription)"
        if let text = node.scalar?.text.lowercased(), ["yes", "no", "on", "off", "y", "n"].contains(text) {
            message += " (YAML 1.1 spellings of booleans are strings in YAML 1.2; write true or false)"
        }
        diagnostics.error(message, at: node.location)
        return nil
    }

    func nonNegativeInt(_ node: YAMLNode, _ key: String) -> Int? {
        switch node.scalar?.value {
        case .int(let value) where value >= 0:
            return value
        case .float(let value) where value >= 0 && value == value.rounded() && value < 9.0e18:
            return Int(value)
        default:
            diagnostics.error("'\(key)' must be a non-negative integer, not \(node.kindDescription)", at: node.location)
            return nil
        }
    }

    func number(_ node: YAMLNode, _ key: String) -> (value: Double, text: String)? {
        switch node.scalar?.value {
        case .int(let value)?:
            return (Double(value), node.scalar!.text)
        case .float(let value)? where value.isFinite:
            return (value, node.scalar!.text)
        default:
            diagnostics.error("'\(key)' must be a number, not \(node.kindDescription)", at: node.location)
            return nil
        }
    }

    func strings(_ node: YAMLNode, _ key: String) -> [String]? {
        guard let items = items(node, key) else { return nil }
        return items.compactMap { string($0, key) }
    }

    /// A scalar key's text; non-scalar keys are reported.
    func keyText(_ key: YAMLNode) -> String? {
        guard let scalar = key.scalar else {
            diagnostics.error("keys must be plain strings, not \(key.kindDescription)", at: key.location)
            return nil
        }
        return scalar.text
    }

    /// An `x-…` entry is kept; any other unknown key is warned about.
    func extensionOrUnknown(_ entry: YAMLMappingEntry, key: String, in object: String, into extensions: inout OrderedDictionary<JSONValue>) {
        if key.hasPrefix("x-") {
            extensions[key] = jsonValue(entry.value)
        } else {
            diagnostics.warning("unknown key '\(key)' in \(object) is ignored", at: entry.key.location)
        }
    }

    func missing(_ key: String, in object: String, at node: YAMLNode) {
        diagnostics.error("\(object) is missing required key '\(key)'", at: node.location)
    }

    // MARK: JSON values

    /// A node as a JSON value (for `default`, `enum`, examples, extensions).
    /// Recursion is bounded by the loader's depth limit.
    func jsonValue(_ node: YAMLNode) -> JSONValue {
        switch node.content {
        case .scalar(let scalar):
            switch scalar.value {
            case .null: return .null
            case .bool(let value): return .bool(value)
            case .int(let value): return .int(value)
            case .float(let value): return value.isFinite ? .double(value) : .string(scalar.text)
            case .string: return .string(scalar.text)
            }
        case .sequence(let items):
            return .array(items.map(jsonValue))
        case .mapping(let entries):
            var object = OrderedDictionary<JSONValue>()
            for entry in entries {
                object[entry.key.scalar?.text ?? ""] = jsonValue(entry.value)
            }
            return .object(object)
        }
    }
}
