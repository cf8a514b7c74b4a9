import GeneratorDiagnostics

/// One node of a loaded YAML document: a scalar, a sequence or a mapping,
/// with the line and column where it starts.
///
/// Nodes are immutable and shared: an alias (`*name`) refers to the very node
/// its anchor (`&name`) introduced, so a document with aliases is a tree whose
/// subtrees may repeat without being copied. `expandedSize` says how large the
/// tree would be with every alias written out, which the loader bounds.
public final class YAMLNode: Sendable {
    public enum Content: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLMappingEntry])
    }

    public let content: Content
    /// Where the node starts (for a mapping or a sequence, its first key or
    /// item in block style, its opening bracket in flow style).
    public let location: SourceLocation
    /// An explicit tag (`!!str`, `!custom`), expanded by libyaml; nil when absent.
    public let tag: String?
    /// Number of nodes in this subtree with every alias expanded.
    public let expandedSize: Int

    public init(_ content: Content, at location: SourceLocation, tag: String? = nil) {
        self.content = content
        self.location = location
        self.tag = tag
        switch content {
        case .scalar:
            expandedSize = 1
        case .sequence(let items):
            expandedSize = items.reduce(1) { $0 &+ $1.expandedSize }
        case .mapping(let entries):
            expandedSize = entries.reduce(1) { $0 &+ $1.key.expandedSize &+ $1.value.expandedSize }
        }
    }
}

/// A `key: value` pair of a mapping, in document order.
public struct YAMLMappingEntry: Sendable {
    public let key: YAMLNode
    public let value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// A scalar's text, how it was written, and what it resolves to under the
/// YAML 1.2 core schema.
public struct YAMLScalar: Sendable, Hashable {
    public enum Style: Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    /// What a scalar means once resolved. Strings carry no payload: the text is it.
    public enum Value: Sendable, Hashable {
        case null
        case bool(Bool)
        case int(Int)
        case float(Double)
        case string
    }

    /// The scalar's content exactly as written (quotes and escapes processed).
    public let text: String
    public let style: Style
    public let value: Value

    public init(text: String, style: Style, value: Value) {
        self.text = text
        self.style = style
        self.value = value
    }

    /// True when the scalar resolved to a string (quoted, or plain text that
    /// is not null, a boolean or a number).
    public var isString: Bool {
        if case .string = value { return true }
        return false
    }
}

// MARK: - Reading nodes

extension YAMLNode {
    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    public var mapping: [YAMLMappingEntry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    /// The value for a scalar key of a mapping; nil for other nodes or a missing key.
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let entries) = content else { return nil }
        for entry in entries where entry.key.scalar?.text == key {
            return entry.value
        }
        return nil
    }

    /// The entry for a scalar key, with the key's own node (for its location).
    public func entry(_ key: String) -> YAMLMappingEntry? {
        guard case .mapping(let entries) = content else { return nil }
        return entries.first { $0.key.scalar?.text == key }
    }

    /// What kind of node this is, for messages: "a mapping", "the string 'yes'".
    public var kindDescription: String {
        switch content {
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .scalar(let scalar):
            switch scalar.value {
            case .null: return "null"
            case .bool(let value): return "the boolean \(value)"
            case .int, .float: return "the number \(scalar.text)"
            case .string: return "the string '\(scalar.text.prefix(60))'"
            }
        }
    }
}
